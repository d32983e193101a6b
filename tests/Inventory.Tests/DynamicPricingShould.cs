using StackExchange.Redis;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Pricing;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Dynamic pricing on a real database and Redis: the claim applies the stored multiplier only where the rules allow it and
/// the event opted in, within the range and the event's cap, and the pricing pass turns demand into that multiplier.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class DynamicPricingShould(PostgresServer postgres, GarnetServer garnet) : IClassFixture<GarnetServer>, IAsyncLifetime
{
    private static readonly PriceRange Range = new(80, 200);

    private InventoryHarness _inventory = null!;
    private PriceRange? _rules = Range;

    public async Task InitializeAsync()
    {
        await garnet.FlushAsync();
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(DynamicPricingShould), garnet.Redis);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private IPriceRules Rules => new DelegatePriceRules(_ => ValueTask.FromResult(_rules));

    private HoldService Holds(bool batching = true) => new(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options, new EventMetadataCache(),
        batcher: batching ? _inventory.Batcher : null, pricing: Rules);

    private EventCatalog Catalog => new(_inventory.Db, _inventory.Cache, _inventory.Time, Rules);

    private DemandPricer Pricer => new(_inventory.Db, _inventory.Cache, _inventory.Time);

    private async Task<(Guid EventId, IReadOnlyList<Guid> Seats)> EventAsync(int seats, DynamicPricingInput? pricing)
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(seats) with { DynamicPricing = pricing });
        var map = await _inventory.SeatMapAsync(created.Id);
        return (created.Id, map.Seats.Select(s => s.Id).ToList());
    }

    private Task<int> StoreAsync(Guid eventId, int multiplier) => _inventory.ScalarAsync<int>(
        "INSERT INTO event_prices (event_id, multiplier_bp, demand_score, views, holds, sales, computed_at) VALUES ($1, $2, 0, 0, 0, 0, now()) RETURNING 1",
        eventId, multiplier);

    private static Task<Result<HoldView>> HoldAsync(HoldService holds, Guid eventId, Guid seat, string customer = "alice") =>
        holds.CreateAsync(new CreateHoldCommand(eventId, customer, [seat], null, null), CancellationToken.None);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LockTheStoredMultiplierWithinTheEventsCapAndShowItWithTheHold(bool batching)
    {
        var (eventId, seats) = await EventAsync(2, new DynamicPricingInput(true, 150));
        await StoreAsync(eventId, 17_500);
        var holds = Holds(batching);

        var hold = (await HoldAsync(holds, eventId, seats[0])).ShouldSucceed();

        // 175 % asked, the event caps at 150 %: 50.00 → 75.00
        Assert.Equal((1.5m, 7_500L, 5_000L), (hold.PriceMultiplier, hold.Seats[0].Price.MinorUnits, hold.Seats[0].BasePrice!.Value.MinorUnits));
        Assert.Equal(7_500, hold.Total.MinorUnits);
        var read = (await holds.GetAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((1.5m, 7_500L, 5_000L, 7_500L), (read.PriceMultiplier, read.Seats[0].Price.MinorUnits, read.Seats[0].BasePrice!.Value.MinorUnits, read.Total.MinorUnits));
        Assert.Equal(7_500, await _inventory.ScalarAsync<long>("SELECT price_minor FROM hold_items WHERE hold_id = $1", hold.Id));
    }

    [Fact]
    public async Task SellAtThePriceLockedAtHoldTimeAfterTheMultiplierMoved()
    {
        var (eventId, seats) = await EventAsync(1, new DynamicPricingInput(true, null));
        await StoreAsync(eventId, 12_000);
        var hold = (await HoldAsync(Holds(), eventId, seats[0])).ShouldSucceed();
        await _inventory.ScalarAsync<int>("UPDATE event_prices SET multiplier_bp = 20000 WHERE event_id = $1 RETURNING 1", eventId);

        var order = (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();

        Assert.Equal((6_000L, 6_000L), (order.Total.MinorUnits, order.Tickets[0].Price.MinorUnits));
    }

    [Fact]
    public async Task HoldAtFaceValueWhereTheRulesTurnDynamicPricingOffWhateverIsStored()
    {
        var (eventId, seats) = await EventAsync(1, new DynamicPricingInput(true, null));
        await StoreAsync(eventId, 15_000);
        _rules = null;

        var hold = (await HoldAsync(Holds(), eventId, seats[0])).ShouldSucceed();
        var view = (await Catalog.GetAsync(eventId, CancellationToken.None)).ShouldSucceed();

        Assert.Equal((1m, 5_000L), (hold.PriceMultiplier, hold.Total.MinorUnits));
        Assert.Equal(new EventPricing(true, null, false, 1m), view.DynamicPricing);
    }

    [Fact]
    public async Task HoldAtFaceValueAnEventThatDidNotOptIn()
    {
        var (eventId, seats) = await EventAsync(1, null);
        await StoreAsync(eventId, 15_000);

        var hold = (await HoldAsync(Holds(), eventId, seats[0])).ShouldSucceed();

        Assert.Equal((1m, 5_000L), (hold.PriceMultiplier, hold.Total.MinorUnits));
    }

    [Fact]
    public async Task ClampAStaleMultiplierToTheJurisdictionsRangeAtClaimTime()
    {
        var (eventId, seats) = await EventAsync(2, new DynamicPricingInput(true, null));
        await StoreAsync(eventId, 30_000);

        var high = (await HoldAsync(Holds(), eventId, seats[0])).ShouldSucceed();
        _rules = new PriceRange(90, 110);
        var narrowed = (await HoldAsync(Holds(), eventId, seats[1], "bob")).ShouldSucceed();

        Assert.Equal((2m, 10_000L), (high.PriceMultiplier, high.Total.MinorUnits));
        Assert.Equal((1.1m, 5_500L), (narrowed.PriceMultiplier, narrowed.Total.MinorUnits));
    }

    [Fact]
    public async Task ShowTheCurrentPriceInTheEventViewAsTheClaimComputesIt()
    {
        var (eventId, _) = await EventAsync(1, new DynamicPricingInput(true, 130));
        await StoreAsync(eventId, 14_000);

        var view = (await Catalog.GetAsync(eventId, CancellationToken.None)).ShouldSucceed();

        Assert.Equal(new EventPricing(true, 130, true, 1.3m), view.DynamicPricing);
        Assert.Equal((5_000L, 6_500L), (view.TicketClasses[0].Price.MinorUnits, view.TicketClasses[0].CurrentPrice!.Value.MinorUnits));
    }

    [Fact]
    public async Task RefuseAnEventCapOutsideItsBoundsAtCreationAndUpdate()
    {
        var created = await _inventory.Catalog.CreateAsync(TestEvents.Reserved(1) with { DynamicPricing = new DynamicPricingInput(true, 99) }, InventoryHarness.Currency, CancellationToken.None);
        var error = created.ShouldFailWith(ErrorCodes.Validation);
        Assert.Contains("dynamic_pricing.max_percent", error.FieldErrors!.Keys);

        var (eventId, _) = await EventAsync(1, null);
        var tooHigh = await Catalog.SetPricingAsync(eventId, new DynamicPricingInput(true, 1001), CancellationToken.None);
        Assert.Contains("max_percent", tooHigh.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
        (await Catalog.SetPricingAsync(Guid.NewGuid(), new DynamicPricingInput(true, 150), CancellationToken.None)).ShouldFailWith(ErrorCodes.EventNotFound);
        var updated = (await Catalog.SetPricingAsync(eventId, new DynamicPricingInput(true, 150), CancellationToken.None)).ShouldSucceed();
        Assert.Equal(new EventPricing(true, 150, true, 1m), updated.DynamicPricing);
    }

    [Fact]
    public async Task RaiseTheMultiplierOneStepAPassFromViewsHoldsAndSales()
    {
        var (eventId, seats) = await EventAsync(4, new DynamicPricingInput(true, 150));
        var (quiet, _) = await EventAsync(4, new DynamicPricingInput(true, null));
        var (fixedPrice, _) = await EventAsync(4, null);
        for (var i = 0; i < 20; i++)
        {
            _inventory.Cache.CountView(eventId, _inventory.Time.GetUtcNow());
        }

        (await HoldAsync(Holds(), eventId, seats[0])).ShouldSucceed();
        await Task.Delay(200); // the fire-and-forget view counts reach Garnet

        var first = await Pricer.RunAsync(Range, new PricingOptions(), CancellationToken.None);

        // 100 × (0.3 × 20 + 0.5 × 1) / 4 = 162.5: high demand, 150 % target, one step of 10 points
        var hot = Assert.Single(first, p => p.EventId == eventId);
        Assert.Equal((20L, 1L, 0L, 162.5m, 11_000), (hot.Views, hot.Holds, hot.Sales, hot.Score, hot.Multiplier));
        Assert.Equal(9_000, Assert.Single(first, p => p.EventId == quiet).Multiplier);
        Assert.DoesNotContain(first, p => p.EventId == fixedPrice);

        for (var pass = 0; pass < 10; pass++)
        {
            await Pricer.RunAsync(Range, new PricingOptions(), CancellationToken.None);
        }

        Assert.Equal(15_000, await _inventory.ScalarAsync<int>("SELECT multiplier_bp FROM event_prices WHERE event_id = $1", eventId));
        var hold = (await HoldAsync(Holds(), eventId, seats[1], "bob")).ShouldSucceed();
        Assert.Equal((1.5m, 7_500L), (hold.PriceMultiplier, hold.Total.MinorUnits));
    }

    [Fact]
    public async Task ForgetSignalsOlderThanTheWindow()
    {
        var (eventId, seats) = await EventAsync(4, new DynamicPricingInput(true, null));
        _inventory.Cache.CountView(eventId, _inventory.Time.GetUtcNow());
        (await HoldAsync(Holds(), eventId, seats[0])).ShouldSucceed();
        await Task.Delay(200);
        _inventory.Time.Advance(TimeSpan.FromMinutes(11));

        var price = Assert.Single(await Pricer.RunAsync(Range, new PricingOptions(), CancellationToken.None));

        Assert.Equal((0L, 0L, 0m), (price.Views, price.Holds, price.Score));
    }

    [Fact]
    public async Task ResetEveryMultiplierToFaceValueWhereTheRulesTurnItOff()
    {
        var (eventId, _) = await EventAsync(1, new DynamicPricingInput(true, null));
        await StoreAsync(eventId, 15_000);

        Assert.Empty(await Pricer.RunAsync(null, new PricingOptions(), CancellationToken.None));

        Assert.Equal(10_000, await _inventory.ScalarAsync<int>("SELECT multiplier_bp FROM event_prices WHERE event_id = $1", eventId));
    }

    [Fact]
    public async Task CountNoViewsAndStillPriceWithoutRedis()
    {
        await using var inventory = await InventoryHarness.CreateAsync(postgres, nameof(CountNoViewsAndStillPriceWithoutRedis),
            await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200"));
        var created = await inventory.CreateEventAsync(TestEvents.Reserved(4) with { DynamicPricing = new DynamicPricingInput(true, null) });
        inventory.Cache.CountView(created.Id, inventory.Time.GetUtcNow());

        var price = Assert.Single(await new DemandPricer(inventory.Db, inventory.Cache, inventory.Time).RunAsync(Range, new PricingOptions(), CancellationToken.None));

        Assert.Equal((0L, 9_000), (price.Views, price.Multiplier));
    }

    [Fact]
    public void BoundTheIdScanByTheWindowsFirstMillisecond()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var first = DemandPricer.FirstIdOf(at);

        // Postgres orders uuids as their text reads
        Assert.True(string.CompareOrdinal(first.ToString(), Guid.CreateVersion7(at).ToString()) <= 0);
        Assert.True(string.CompareOrdinal(first.ToString(), Guid.CreateVersion7(at.AddMilliseconds(-1)).ToString()) > 0);
        Assert.Equal(7, first.Version);
    }
}
