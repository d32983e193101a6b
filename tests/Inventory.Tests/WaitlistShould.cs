using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Inventory.Waitlist;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class WaitlistShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private WaitlistService _waitlist = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(WaitlistShould));
        _waitlist = new WaitlistService(_inventory.Db, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task RefuseToWaitWhileTicketsAreAvailableAndGiveTheSameEntryOnASecondJoin()
    {
        var (eventId, classId) = await GaEventAsync(2);

        Assert.Equal(ErrorCodes.WaitlistNotSoldOut, (await JoinAsync(eventId, classId, "alice", 1)).Error?.Code);
        (await _inventory.HoldTicketsAsync(eventId, classId, 2, "buyer")).ShouldSucceed();
        var first = (await JoinAsync(eventId, classId, "alice", 1)).ShouldSucceed();
        var again = (await JoinAsync(eventId, classId, "alice", 1)).ShouldSucceed();

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(ErrorCodes.Validation, (await JoinAsync(eventId, classId, "bob", 5)).Error?.Code);
    }

    [Fact]
    public async Task OfferReturnedTicketsInJoinOrderAndMoveOnWhenAnOfferLapses()
    {
        var (eventId, classId) = await GaEventAsync(2);
        (await _inventory.HoldTicketsAsync(eventId, classId, 1, "buyer", expireInSeconds: 60)).ShouldSucceed();
        var cancelled = (await _inventory.HoldTicketsAsync(eventId, classId, 1, "buyer2")).ShouldSucceed();
        foreach (var who in new[] { "alice", "bob", "carol" })
        {
            (await JoinAsync(eventId, classId, who, 1)).ShouldSucceed();
        }

        Assert.Empty(await OfferAsync());
        (await _inventory.Holds.CancelAsync(cancelled.Id, null, CancellationToken.None)).ShouldSucceed();
        var first = await OfferAsync();
        _inventory.Time.Advance(TimeSpan.FromSeconds(61));   // the buyer's hold expires
        var second = await OfferAsync();

        Assert.Equal(["alice"], first.Select(o => o.CustomerRef));
        Assert.Equal(["bob"], second.Select(o => o.CustomerRef));
        var aliceHold = (await _inventory.Holds.GetAsync(first[0].HoldId, null, CancellationToken.None)).ShouldSucceed();
        Assert.Equal(("alice", 1), (aliceHold.CustomerRef, aliceHold.Seats.Count));
        Assert.Equal(2L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'waitlist.offered' AND event_id = $1", eventId));

        // alice lets her offer lapse: carol is next; bob buys
        (await _inventory.ConfirmAsync(second[0].HoldId)).ShouldSucceed();
        _inventory.Time.Advance(TimeSpan.FromSeconds(301));
        var third = await OfferAsync();
        Assert.Equal(["carol"], third.Select(o => o.CustomerRef));
        Assert.Equal(("expired", WaitlistClosedReasons.OfferLapsed),
            (await _waitlist.ListAsync(eventId, "alice", CancellationToken.None)).Select(e => (e.Status, e.ClosedReason)).Single());
        Assert.Equal("accepted", (await _waitlist.ListAsync(eventId, "bob", CancellationToken.None)).Single().Status);
        Assert.Equal("offered", (await _waitlist.ListAsync(eventId, "carol", CancellationToken.None)).Single().Status);
    }

    [Fact]
    public async Task OfferReservedSeatsOfTheClass()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.Reserved(2));
        var seats = (await _inventory.SeatMapAsync(ev.Id)).Seats;
        var hold = (await _inventory.HoldSeatsAsync(ev.Id, [.. seats.Select(s => s.Id)], "buyer")).ShouldSucceed();
        (await JoinAsync(ev.Id, seats[0].ClassId, "alice", 2)).ShouldSucceed();

        (await _inventory.Holds.CancelAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
        var offers = await OfferAsync();

        var offered = (await _inventory.Holds.GetAsync(offers.Single().HoldId, null, CancellationToken.None)).ShouldSucceed();
        Assert.Equal(seats.Select(s => s.Id).Order(), offered.Seats.Select(s => s.SeatId).Order());
    }

    [Fact]
    public async Task SkipAnEntryWhoseEmailTheHoldRefusesAndOfferTheNext()
    {
        var (eventId, classId) = await GaEventAsync(1);
        var taken = (await _inventory.HoldTicketsAsync(eventId, classId, 1, "buyer")).ShouldSucceed();
        // an entry with an address a hold refuses (joined before addresses were checked at the waitlist)
        await _inventory.ScalarAsync<int>("""
            INSERT INTO waitlist_entries (id, event_id, class_id, customer_ref, customer_email, quantity, joined_at)
            VALUES ($1, $2, $3, 'alice', 'not an address', 1, $4) RETURNING 1
            """, Guid.CreateVersion7(), eventId, classId, _inventory.Time.GetUtcNow());
        (await JoinAsync(eventId, classId, "bob", 1)).ShouldSucceed();

        (await _inventory.Holds.CancelAsync(taken.Id, null, CancellationToken.None)).ShouldSucceed();
        var offers = await OfferAsync();

        Assert.Equal(["bob"], offers.Select(o => o.CustomerRef));
        Assert.Empty(await OfferAsync());
        var alice = Assert.Single(await _waitlist.ListAsync(eventId, "alice", CancellationToken.None));
        Assert.Equal(("expired", WaitlistClosedReasons.InvalidCustomerEmail), (alice.Status, alice.ClosedReason));
        Assert.Contains("customer_email", alice.ClosedDetail, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.Validation, (await _waitlist.JoinAsync(eventId,
            new JoinWaitlistCommand(classId, 1, "carol", "not an address"), CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task SkipACustomerAtThePurchaseLimitAndOfferTheNext()
    {
        var limit = _inventory.Options.MaxTicketsPerCustomerPerEvent;
        var (eventId, classId) = await GaEventAsync(limit + 1);
        var bought = (await _inventory.HoldTicketsAsync(eventId, classId, limit, "alice")).ShouldSucceed();
        (await _inventory.ConfirmAsync(bought.Id)).ShouldSucceed();
        var taken = (await _inventory.HoldTicketsAsync(eventId, classId, 1, "buyer")).ShouldSucceed();
        (await JoinAsync(eventId, classId, "alice", 1)).ShouldSucceed();     // sold out: she may join, but may not buy more
        (await JoinAsync(eventId, classId, "bob", 1)).ShouldSucceed();

        (await _inventory.Holds.CancelAsync(taken.Id, null, CancellationToken.None)).ShouldSucceed();
        var offers = await OfferAsync();

        Assert.Equal(["bob"], offers.Select(o => o.CustomerRef));
        var alice = Assert.Single(await _waitlist.ListAsync(eventId, "alice", CancellationToken.None));
        Assert.Equal(("expired", WaitlistClosedReasons.PurchaseLimitExceeded), (alice.Status, alice.ClosedReason));
        Assert.Contains($"at most {limit} tickets", alice.ClosedDetail, StringComparison.Ordinal);
    }

    private async Task<(Guid EventId, Guid ClassId)> GaEventAsync(int quantity)
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(quantity));
        return (ev.Id, ev.TicketClasses[0].Id);
    }

    private Task<Result<WaitlistEntryView>> JoinAsync(Guid eventId, Guid classId, string customer, int quantity) =>
        _waitlist.JoinAsync(eventId, new JoinWaitlistCommand(classId, quantity, customer), CancellationToken.None);

    private async Task<List<WaitlistOffer>> OfferAsync() => [.. await _waitlist.OfferAsync(_inventory.Holds, 300, CancellationToken.None)];
}
