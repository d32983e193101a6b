using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Sales;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>
/// The inventory services over one fresh reseller database, with fake time that starts at the real current time.
/// </summary>
public sealed class InventoryHarness : IAsyncDisposable
{
    /// <summary>Currency of the test cell.</summary>
    public const string Currency = "EUR";

    private InventoryHarness(NpgsqlDataSource db, IConnectionMultiplexer? redis, bool batching)
    {
        Db = db;
        Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Cache = redis is null ? InventoryCache.None(NullLogger.Instance) : new InventoryCache(redis, NullLogger.Instance);
        Catalog = new EventCatalog(db, Cache, Time);
        // as the API runs it (with batched claims) or as the worker does (each claim on its own)
        Batcher = batching ? new ClaimBatcher(db, new ClaimBatchingOptions()) : null;
        Holds = new HoldService(db, Cache, Time, Options, new EventMetadataCache(), batcher: Batcher, shortfalls: new ShortfallMemo(Time));
        Sweeper = new HoldSweeper(db, Time);
        Orders = new OrderQueries(db);
        Sales = new SaleService(db, Cache, Time);
    }

    public NpgsqlDataSource Db { get; }

    public FakeTimeProvider Time { get; }

    public HoldOptions Options { get; } = new();

    public InventoryCache Cache { get; }

    public EventCatalog Catalog { get; }

    public HoldService Holds { get; }

    /// <summary>The claim batcher <see cref="Holds"/> uses, if any.</summary>
    public ClaimBatcher? Batcher { get; }

    public HoldSweeper Sweeper { get; }

    public OrderQueries Orders { get; }

    public SaleService Sales { get; }

    /// <summary>Creates a database named after <paramref name="name"/> and the services over it.</summary>
    public static async Task<InventoryHarness> CreateAsync(
        PostgresServer server, string name, IConnectionMultiplexer? redis = null, int maxPoolSize = 200, bool batching = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new InventoryHarness(await server.CreateDatabaseAsync(name, maxPoolSize), redis, batching);
    }

    /// <summary>Creates an event and fails the test if that fails.</summary>
    public async Task<EventDetail> CreateEventAsync(CreateEventCommand cmd) =>
        (await Catalog.CreateAsync(cmd, Currency, CancellationToken.None)).ShouldSucceed();

    /// <summary>The seats of a reserved event, in map order.</summary>
    public async Task<SeatMap> SeatMapAsync(Guid eventId) =>
        (await Catalog.GetSeatMapAsync(eventId, CancellationToken.None)).ShouldSucceed();

    /// <summary>Holds reserved seats for <paramref name="customer"/>.</summary>
    public Task<Result<HoldView>> HoldSeatsAsync(Guid eventId, IReadOnlyList<Guid> seatIds, string customer = "customer-1", int? expireInSeconds = null) =>
        Holds.CreateAsync(new CreateHoldCommand(eventId, customer, seatIds, null, expireInSeconds), CancellationToken.None);

    /// <summary>Holds general-admission tickets of one class for <paramref name="customer"/>.</summary>
    public Task<Result<HoldView>> HoldTicketsAsync(Guid eventId, Guid classId, int quantity, string customer = "customer-1", int? expireInSeconds = null) =>
        Holds.CreateAsync(new CreateHoldCommand(eventId, customer, null, [new TicketRequest(classId, quantity)], expireInSeconds), CancellationToken.None);

    /// <summary>The PSP intent id <see cref="ConfirmAsync"/> pays a hold with.</summary>
    public static string IntentOf(Guid holdId) => $"pi_test_{holdId:N}";

    /// <summary>
    /// Sells a hold as the checkout does once the PSP captured its payment: the payment row (status processing, the hold's
    /// total, no fees) is recorded first, then the sale runs against it through <paramref name="sales"/> (default
    /// <see cref="Sales"/>). A hold with a zero total, or none at all, is sold for free.
    /// </summary>
    public async Task<Result<OrderView>> ConfirmAsync(Guid holdId, SaleService? sales = null)
    {
        sales ??= Sales;
        await using var cmd = Db.CreateCommand("""
            WITH h AS (SELECT id, total_minor, currency FROM holds WHERE id = $1 AND total_minor > 0),
            paid AS (
                INSERT INTO payments (id, hold_id, attempt, status, psp_intent_id, subtotal_minor, platform_fee_minor, processing_fee_minor,
                                      tax_minor, total_minor, currency, created_at, updated_at)
                SELECT $2, id, 1, 'processing', $3, total_minor, 0, 0, 0, total_minor, currency, $4, $4 FROM h
                ON CONFLICT (hold_id, attempt) DO NOTHING)
            SELECT p.id, p.total_minor, p.currency FROM payments p WHERE p.hold_id = $1 AND p.attempt = 1
            UNION ALL
            SELECT $2, total_minor, currency FROM h WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.hold_id = $1 AND p.attempt = 1)
            """);
        cmd.Parameters.Add(new() { Value = holdId });
        cmd.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        cmd.Parameters.Add(new() { Value = IntentOf(holdId) });
        cmd.Parameters.Add(new() { Value = Time.GetUtcNow() });
        (Guid Id, long Total, string Currency)? payment = null;
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            // read, then let the connection go before the sale takes one
            if (await reader.ReadAsync())
            {
                payment = (reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2));
            }
        }

        if (payment is not { } found)
        {
            return await sales.SellFreeAsync(holdId, CancellationToken.None);
        }

        var (paymentId, total, currency) = found;

        return await sales.SellPaidAsync(holdId, new VerifiedPayment(paymentId, IntentOf(holdId), new PriceBreakdown(total, 0, 0, 0, total, currency)),
            CancellationToken.None);
    }

    /// <summary>Runs a scalar query with positional parameters.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
