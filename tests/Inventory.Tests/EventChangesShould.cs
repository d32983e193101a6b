using System.Text.Json;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Event changes against real Postgres: anything while nothing is sold, the seat plan only while nothing was held, then
/// only the start and the description, each change kept with its values before and after, ticket holders told through
/// the outbox.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class EventChangesShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private EventChanges _changes = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(EventChangesShould));
        _changes = new EventChanges(_inventory.Db, _inventory.Cache, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private static UpdateEventCommand Change(string? name = null, string? description = null, DateTimeOffset? startsAt = null, VenueInput? venue = null,
        IReadOnlyList<TicketClassInput>? classes = null, IReadOnlyList<SectionInput>? sections = null) =>
        new(name, null, description, startsAt, venue, classes, sections);

    [Fact]
    public async Task ChangeNameVenuePricesAndSeatPlanWhileNothingIsSoldAndKeepBeforeAndAfter()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(10));

        var updated = (await _changes.UpdateAsync(created.Id, Change(name: "Quartet Night II", venue: new VenueInput("New Hall", null, null, null),
            classes: [new TicketClassInput("Standard", 6_500, null)],
            sections: [new SectionInput("Balcony", [new RowInput("B", "Standard", 4, null)])]), "integrator:acme-backend", CancellationToken.None)).ShouldSucceed();

        Assert.Equal(("Quartet Night II", "New Hall", 6_500L, 4), (updated.Event.Name, updated.Event.Venue.Name, updated.Event.TicketClasses[0].Price.MinorUnits,
            updated.Event.TicketClasses[0].Capacity));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        Assert.Equal(4, seats.Count);
        Assert.All(seats, s => Assert.Equal(("Balcony", "B", 6_500L), (s.Section, s.Row, s.Price.MinorUnits)));
        var change = updated.Change!;
        Assert.Equal(["name", "venue", "prices", "seat_plan"], change.Fields);
        Assert.Equal("Quartet Night", change.Before.GetProperty("name").GetString());
        Assert.Equal("Quartet Night II", change.After.GetProperty("name").GetString());
        Assert.Equal(("Berlin Hall", "New Hall"), (change.Before.GetProperty("venue").GetProperty("name").GetString(), change.After.GetProperty("venue").GetProperty("name").GetString()));
        Assert.Equal((5_000, 6_500), (change.Before.GetProperty("prices").GetProperty("Standard").GetInt64(), change.After.GetProperty("prices").GetProperty("Standard").GetInt64()));
        Assert.Equal((10, 4), (change.Before.GetProperty("seat_plan").GetProperty("units").GetInt32(), change.After.GetProperty("seat_plan").GetProperty("units").GetInt32()));
        Assert.Equal(0, change.NotifiedOrders);

        var history = (await _changes.HistoryAsync(created.Id, CancellationToken.None)).ShouldSucceed();
        var kept = Assert.Single(history.Changes);
        Assert.Equal((change.Id, "integrator:acme-backend"), (kept.Id, kept.Actor));
        Assert.Equal("Quartet Night II", kept.After.GetProperty("name").GetString());
        // the new seats sell at the new price
        var hold = (await _inventory.HoldSeatsAsync(created.Id, [seats[0].Id])).ShouldSucceed();
        Assert.Equal(6_500L, hold.Total.MinorUnits);
    }

    [Fact]
    public async Task RefuseANewSeatPlanOnceASeatWasHeldButStillChangePrices()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(20));
        var held = (await _inventory.HoldTicketsAsync(created.Id, created.TicketClasses[0].Id, 1)).ShouldSucceed();

        (await _changes.UpdateAsync(created.Id, Change(classes: [new TicketClassInput("GA", null, 30)]), "t", CancellationToken.None))
            .ShouldFailWith(ErrorCodes.EventHasHolds);
        var priced = (await _changes.UpdateAsync(created.Id, Change(classes: [new TicketClassInput("GA", 3_500, null)]), "t", CancellationToken.None)).ShouldSucceed();

        Assert.Equal(["prices"], priced.Change!.Fields);
        // the hold keeps the price it locked; the next one pays the new price
        Assert.Equal(3_000L, (await _inventory.Holds.GetAsync(held.Id, null, CancellationToken.None)).ShouldSucceed().Total.MinorUnits);
        Assert.Equal(3_500L, (await _inventory.HoldTicketsAsync(created.Id, created.TicketClasses[0].Id, 1, "customer-2")).ShouldSucceed().Total.MinorUnits);
    }

    [Fact]
    public async Task ChangeAGeneralAdmissionQuantityWhileNothingWasHeld()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(20));

        var updated = (await _changes.UpdateAsync(created.Id, Change(classes: [new TicketClassInput("GA", null, 35)]), "t", CancellationToken.None)).ShouldSucceed();

        Assert.Equal((35, 35), (updated.Event.TicketClasses[0].Capacity, updated.Event.TicketClasses[0].Available));
        Assert.Equal(35, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1", created.Id));
    }

    [Fact]
    public async Task AfterTheFirstSaleChangeOnlyTheStartAndTheDescriptionAndTellEveryTicketHolder()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(5));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();
        for (var i = 0; i < 3; i++)
        {
            var hold = (await _inventory.Holds.CreateAsync(new CreateHoldCommand(created.Id, $"holder-{i}", [seats[i]], null, null, $"holder-{i}@example.com"),
                CancellationToken.None)).ShouldSucceed();
            (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();
        }

        var refused = (await _changes.UpdateAsync(created.Id, Change(name: "Renamed", description: "Later"), "t", CancellationToken.None))
            .ShouldFailWith(ErrorCodes.EventHasSales);
        Assert.Equal(["name"], (IEnumerable<string>)refused.Extensions!["refused_fields"]!);
        var later = TestEvents.StartsAt.AddDays(7);
        var moved = (await _changes.UpdateAsync(created.Id, Change(description: "Moved a week", startsAt: later), "t", CancellationToken.None)).ShouldSucceed();

        Assert.Equal(later, moved.Event.StartsAt);
        Assert.Equal(3, moved.Change!.NotifiedOrders);
        Assert.Equal(["description", "starts_at"], moved.Change.Fields.Order());
        Assert.Equal(TestEvents.StartsAt, moved.Change.Before.GetProperty("starts_at").GetDateTimeOffset());
        Assert.Equal(3, await _inventory.ScalarAsync<long>("""
            SELECT count(DISTINCT payload->>'customer_email') FROM outbox
            WHERE topic = 'order.event_changed' AND event_id = $1 AND payload->'fields' ? 'starts_at'
            """, created.Id));
        Assert.Equal(1, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'event.updated' AND event_id = $1", created.Id));
        Assert.Equal("Quartet Night", (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed().Name);
        Assert.Single((await _changes.HistoryAsync(created.Id, CancellationToken.None)).ShouldSucceed().Changes);
    }

    [Fact]
    public async Task RecordNothingWhenNothingDiffersAndRefuseBadChanges()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(5));

        var same = (await _changes.UpdateAsync(created.Id, Change(name: "Quartet Night", startsAt: TestEvents.StartsAt), "t", CancellationToken.None)).ShouldSucceed();
        Assert.Null(same.Change);
        (await _changes.UpdateAsync(created.Id, Change(), "t", CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);
        (await _changes.UpdateAsync(created.Id, Change(name: new string('x', 500)), "t", CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);
        (await _changes.UpdateAsync(created.Id, Change(classes: [new TicketClassInput("Gold", 1, null)]), "t", CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);
        (await _changes.UpdateAsync(created.Id, Change(sections: [new SectionInput("S", [new RowInput("1", "Gold", 2, null)])]), "t", CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);
        (await _changes.UpdateAsync(Guid.NewGuid(), Change(name: "X"), "t", CancellationToken.None)).ShouldFailWith(ErrorCodes.EventNotFound);
        Assert.Empty((await _changes.HistoryAsync(created.Id, CancellationToken.None)).ShouldSucceed().Changes);
        Assert.Equal(JsonValueKind.Undefined, default(JsonElement).ValueKind);
    }
}
