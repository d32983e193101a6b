using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Wheelchair seats and their companion seats: flagged at creation, counted apart on the seat map, and claimed together in
/// the one conditional claim statement: the free companions of a wheelchair seat join its hold, a companion is never held
/// without its wheelchair seat, and racing buyers never split a pair.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class AccessibleSeatingShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(AccessibleSeatingShould), maxPoolSize: 60, batching: true);

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    /// <summary>Row A: seats 1..6 at 50.00; seats 2 and 5 are of the class "Companion" at 25.00; 3 and 4 are wheelchair seats, 2 the companion of 3 and 5 of 4.</summary>
    private static CreateEventCommand AccessibleEvent(IReadOnlyList<string>? wheelchairs = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? companions = null) =>
        TestEvents.Reserved(6) with
        {
            TicketClasses = [new TicketClassInput("Standard", 5000, null), new TicketClassInput("Companion", 2500, null)],
            Sections =
            [
                new SectionInput("Floor",
                [
                    new RowInput("A", "Standard", null,
                        [.. Enumerable.Range(1, 6).Select(n => new SeatInput($"{n}", n is 2 or 5 ? "Companion" : null, null))],
                        wheelchairs ?? ["3", "4"],
                        companions ?? new Dictionary<string, IReadOnlyList<string>> { ["3"] = ["2"], ["4"] = ["5"] }),
                ]),
            ],
        };

    private async Task<(Guid EventId, Dictionary<string, SeatView> Seats)> CreateAsync()
    {
        var created = await _inventory.CreateEventAsync(AccessibleEvent());
        var map = await _inventory.SeatMapAsync(created.Id);
        return (created.Id, map.Seats.ToDictionary(s => s.Number));
    }

    [Fact]
    public async Task FlagAccessibleSeatsAndCountThemApartOnTheSeatMap()
    {
        var (eventId, seats) = await CreateAsync();

        Assert.Equal(("wheelchair", (Guid?)null), (seats["3"].Accessibility, seats["3"].CompanionOf));
        Assert.Equal(("companion", (Guid?)seats["3"].Id), (seats["2"].Accessibility, seats["2"].CompanionOf));
        Assert.Equal(("companion", (Guid?)seats["4"].Id), (seats["5"].Accessibility, seats["5"].CompanionOf));
        Assert.Null(seats["1"].Accessibility);
        Assert.Equal(new AccessibleAvailability(2, 2, 2, 2), (await _inventory.SeatMapAsync(eventId)).Accessible);
    }

    [Theory]
    [InlineData("not_in_row")]
    [InlineData("companion_of_two")]
    [InlineData("companion_is_wheelchair")]
    [InlineData("owner_not_wheelchair")]
    [InlineData("wheelchair_twice")]
    public async Task RefuseAccessibleSeatsThatDoNotPairWithinTheRow(string mistake)
    {
        var cmd = mistake switch
        {
            "not_in_row" => AccessibleEvent(wheelchairs: ["3", "9"]),
            "companion_of_two" => AccessibleEvent(companions: new Dictionary<string, IReadOnlyList<string>> { ["3"] = ["2"], ["4"] = ["2"] }),
            "companion_is_wheelchair" => AccessibleEvent(companions: new Dictionary<string, IReadOnlyList<string>> { ["3"] = ["4"] }),
            "owner_not_wheelchair" => AccessibleEvent(companions: new Dictionary<string, IReadOnlyList<string>> { ["1"] = ["2"] }),
            _ => AccessibleEvent(wheelchairs: ["3", "3"]),
        };

        var result = await _inventory.Catalog.CreateAsync(cmd, InventoryHarness.Currency, CancellationToken.None);

        var field = Assert.Single(result.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
        Assert.StartsWith("sections[0].rows[0].", field, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HoldTheCompanionTogetherWithItsWheelchairSeatAtTheCompanionClassPrice()
    {
        var (eventId, seats) = await CreateAsync();

        var hold = (await HoldAsync(eventId, "wheelchair-user", seats["3"].Id)).ShouldSucceed();

        Assert.Equal(["2", "3"], hold.Seats.Select(s => s.Number).Order(StringComparer.Ordinal));
        Assert.Equal(7500, hold.Total.MinorUnits);
        Assert.Equal(new AccessibleAvailability(1, 2, 1, 2), (await _inventory.SeatMapAsync(eventId)).Accessible);
    }

    [Fact]
    public async Task RefuseACompanionSeatAskedForWithoutItsWheelchairSeat()
    {
        var (eventId, seats) = await CreateAsync();

        var error = (await HoldAsync(eventId, "companion-only", seats["2"].Id)).ShouldFailWith(ErrorCodes.SeatUnavailable);

        Assert.Equal([seats["2"].Id], error.UnavailableSeatIds);
        Assert.Equal(0, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status <> 0", eventId));
    }

    [Fact]
    public async Task HoldAWheelchairSeatAloneWhenItsCompanionIsTaken()
    {
        var (eventId, seats) = await CreateAsync();
        // the pair was held together; then the wheelchair seat alone came free again (as a refund of its ticket would)
        (await HoldAsync(eventId, "first-buyer", seats["4"].Id)).ShouldSucceed();
        await _inventory.ScalarAsync<long>(
            "WITH u AS (UPDATE seats SET status = 0, hold_id = NULL, hold_expires_at = NULL WHERE id = $1 RETURNING 1) SELECT count(*) FROM u", seats["4"].Id);

        var hold = (await HoldAsync(eventId, "wheelchair-user", seats["4"].Id)).ShouldSucceed();

        Assert.Equal(["4"], hold.Seats.Select(s => s.Number));
        Assert.Equal(5000, hold.Total.MinorUnits);
    }

    [Fact]
    public async Task NeverSplitAPairWhenManyBuyersRaceForTheWheelchairSeatAndItsCompanion()
    {
        var (eventId, seats) = await CreateAsync();
        var (wheelchair, companion) = (seats["3"].Id, seats["2"].Id);
        Guid[][] asks = [[wheelchair], [wheelchair, companion], [companion]];

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            HoldAsync(eventId, $"buyer-{i}", asks[i % asks.Length]))));

        var won = Assert.Single(results, r => r.IsSuccess).Value!;
        Assert.Equal(["2", "3"], won.Seats.Select(s => s.Number).Order(StringComparer.Ordinal));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SeatUnavailable, r.Error!.Code));
        // the database agrees: both seats held by the one hold, nothing else held
        Assert.Equal(1, await _inventory.ScalarAsync<long>(
            "SELECT count(DISTINCT hold_id) FROM seats WHERE event_id = $1 AND id = ANY($2) AND status = 1", eventId, new[] { wheelchair, companion }));
        Assert.Equal(2, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 1", eventId));
        Assert.Equal(2, await _inventory.ScalarAsync<long>("SELECT count(*) FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE h.event_id = $1", eventId));
    }

    private Task<Result<HoldView>> HoldAsync(Guid eventId, string customer, params Guid[] seatIds) =>
        _inventory.Holds.CreateAsync(new CreateHoldCommand(eventId, customer, seatIds, null, null), CancellationToken.None);
}
