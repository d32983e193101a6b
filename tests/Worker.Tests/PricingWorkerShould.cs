using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Rules;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Worker.Tests.Infrastructure;

namespace TicketAspire.Worker.Tests;

/// <summary>
/// The dynamic pricing worker as the worker host registers it, over two real reseller databases of a cell that allows
/// dynamic pricing (80..200 %): each reseller priced by its own rules, and a changed override applied at the next pass.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PricingWorkerShould(PostgresServer postgres)
{
    [Fact]
    public async Task Price_each_resellers_events_by_its_own_rules_and_apply_a_changed_override_without_a_restart()
    {
        await using var cell = await TwoResellers.CreateAsync(postgres, nameof(PricingWorkerShould));
        var acmeEvent = await OptedInEventAsync(cell.Acme);
        var globexEvent = await OptedInEventAsync(cell.Globex);
        await ExecuteAsync(cell.Globex, "INSERT INTO event_prices VALUES ($1, 15000, 0, 0, 0, 0, now())", globexEvent);
        var overrides = new Overrides();
        overrides.Set("globex", new RuleOverride(DynamicPricingAllowed: false));

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cell:Id"] = "us", ["Cell:Currency"] = "EUR",
            ["CellRules:DynamicPricingAllowed"] = "True", ["CellRules:DynamicPriceMinPercent"] = "80", ["CellRules:DynamicPriceMaxPercent"] = "200",
            ["Pricing:Interval"] = "00:00:00.200",
            ["ConnectionStrings:postgres"] = postgres.ConnectionString,
            // no Redis at all: views count 0 and nothing fails
            ["ConnectionStrings:redis-acme"] = "127.0.0.1:1", ["ConnectionStrings:redis-globex"] = "127.0.0.1:1",
            ["Payments:BaseUrl"] = "http://127.0.0.1:9", ["Payments:ApiKey"] = "key", ["Payments:WebhookSecret"] = "secret",
            ["WaitingRoom:SigningKey"] = new string('k', 40),
            ["Tickets:SigningSeed"] = new string('s', 40),
        });
        builder.AddWorkerServices();
        // the cell's resellers and their overrides, as the catalog would give them
        builder.Services.AddSingleton<IMultiTenantStore<ResellerTenantInfo>>(cell.Store);
        builder.Services.AddSingleton<IRuleOverrideSource>(overrides);
        await using var services = builder.Services.BuildServiceProvider();
        var worker = services.GetRequiredService<PricingWorker>();

        await worker.StartAsync(default);
        try
        {
            // acme: no demand, 90 % (one pass); globex turned dynamic pricing off: back to face value
            await UntilAsync(cell.Acme, acmeEvent, 9_000);
            await UntilAsync(cell.Globex, globexEvent, 10_000);

            overrides.Set("acme", new RuleOverride(DynamicPricingAllowed: false));
            await UntilAsync(cell.Acme, acmeEvent, 10_000);
        }
        finally
        {
            await worker.StopAsync(default);
        }
    }

    private static async Task<Guid> OptedInEventAsync(NpgsqlDataSource db)
    {
        var catalog = new EventCatalog(db, InventoryCache.None(NullLogger.Instance), TimeProvider.System);
        var created = await catalog.CreateAsync(new CreateEventCommand("Priced", "concert", null, null, DateTimeOffset.UtcNow.AddDays(30),
            new VenueInput("Hall", "Berlin", "DE", null), "reserved", "EUR", [new TicketClassInput("Standard", 5000, null)],
            [new SectionInput("Floor", [new RowInput("A", "Standard", 4, null)])], DynamicPricing: new DynamicPricingInput(true, null)), "EUR", default);
        return created.Value!.Id;
    }

    private static async Task UntilAsync(NpgsqlDataSource db, Guid eventId, int multiplier)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int? stored = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var cmd = db.CreateCommand("SELECT multiplier_bp FROM event_prices WHERE event_id = $1");
            cmd.Parameters.Add(new() { Value = eventId });
            stored = (int?)await cmd.ExecuteScalarAsync();
            if (stored == multiplier)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"event {eventId}: multiplier {stored}, expected {multiplier}");
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, Guid eventId)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = eventId });
        await cmd.ExecuteNonQueryAsync();
    }

    private sealed class Overrides : IRuleOverrideSource
    {
        private volatile Dictionary<string, RuleOverride> _all = new(StringComparer.Ordinal);

        public void Set(string reseller, RuleOverride rules) => _all = new(_all, StringComparer.Ordinal) { [reseller] = rules };

        public ValueTask<IReadOnlyDictionary<string, RuleOverride>> GetAllAsync(CancellationToken ct) => ValueTask.FromResult<IReadOnlyDictionary<string, RuleOverride>>(_all);
    }
}
