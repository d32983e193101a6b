using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;
using TicketAspire.Inventory.Model;
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

    /// <summary>Confirms a hold with a made-up payment reference.</summary>
    public Task<Result<OrderView>> ConfirmAsync(Guid holdId) =>
        Holds.ConfirmAsync(holdId, new ConfirmHoldCommand($"pay-{holdId:N}"), CancellationToken.None);

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
