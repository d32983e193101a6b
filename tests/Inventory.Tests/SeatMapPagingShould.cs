using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>The seat map in bounded pages, and the queue places of many customers read in one statement.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class SeatMapPagingShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(SeatMapPagingShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task PageTheSeatMapWithACursorAndKeepTheWholeEventsCounts()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(12));
        var all = await _inventory.SeatMapAsync(created.Id);

        var pages = new List<SeatMap>();
        int? after = null;
        do
        {
            var page = (await _inventory.Catalog.GetSeatMapAsync(created.Id, after, 5, CancellationToken.None)).ShouldSucceed();
            pages.Add(page);
            after = page.NextCursor is { } next ? int.Parse(next, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        while (after is not null);

        Assert.Null(all.NextCursor);
        Assert.Equal([5, 5, 2], pages.Select(p => p.Seats.Count));
        Assert.Equal(all.Seats.Select(s => s.Id), pages.SelectMany(p => p.Seats).Select(s => s.Id));
        Assert.All(pages, p => Assert.Equal((12, 0, 0), (p.Available, p.Held, p.Sold)));
    }

    [Fact]
    public async Task NeverAnswerMoreThanOnePageOfSeats()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(1) with
        {
            Sections = [new SectionInput("Floor", [.. Enumerable.Range(1, 6).Select(r => new RowInput($"R{r}", "Standard", 1000, null))])],
        });

        var first = await _inventory.SeatMapAsync(created.Id);

        Assert.Equal(EventCatalog.SeatMapPageSize, first.Seats.Count);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(6_000, first.Available);
    }

    [Fact]
    public async Task ReadTheQueuePlacesOfManyCustomersAsOneEachWould()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(1));
        var rooms = new WaitingRoomService(_inventory.Db, new AdmissionTokens("test-signing-key-0123456789abcdef0123456789"), "acme",
            new WaitingRoomCache(_inventory.Time), _inventory.Time);
        (await rooms.ConfigureAsync(created.Id, new WaitingRoomSettings(_inventory.Time.GetUtcNow().AddHours(1), 60, 600), "test", CancellationToken.None)).ShouldSucceed();
        var customers = Enumerable.Range(0, 5).Select(i => $"c{i}").ToArray();
        foreach (var c in customers)
        {
            (await rooms.JoinAsync(created.Id, c, CancellationToken.None)).ShouldSucceed();
        }

        var stamp = await rooms.StampAsync(created.Id, CancellationToken.None);
        var together = await rooms.GetEntriesAsync(created.Id, [.. customers, "nobody"], CancellationToken.None);
        var one = new List<QueueEntryView>();
        foreach (var c in customers)
        {
            one.Add((await rooms.GetEntryAsync(created.Id, c, CancellationToken.None)).ShouldSucceed());
        }


        Assert.Equal(customers, together.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(one.Select(v => (v.CustomerRef, v.QueueNumber, v.PeopleAhead, v.Status)),
            customers.Select(c => together[c]).Select(v => (v.CustomerRef, v.QueueNumber, v.PeopleAhead, v.Status)));
        Assert.Equal([0L, 1, 2, 3, 4], customers.Select(c => together[c].PeopleAhead));
        // nobody moved: the room looks the same until it admits or is changed
        Assert.Equal(stamp, await rooms.StampAsync(created.Id, CancellationToken.None));
        _inventory.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(5, await rooms.AdmitDueAsync(CancellationToken.None));
        Assert.NotEqual(stamp, await rooms.StampAsync(created.Id, CancellationToken.None));
        Assert.Equal(QueueStatus.Admitted, (await rooms.GetEntriesAsync(created.Id, ["c0"], CancellationToken.None))["c0"].Status);
    }
}
