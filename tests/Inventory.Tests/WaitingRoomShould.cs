using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class WaitingRoomShould(PostgresServer postgres) : IAsyncLifetime
{
    private const string Reseller = "acme";
    private readonly AdmissionTokens _tokens = new("test-signing-key-0123456789abcdef0123456789");
    private InventoryHarness _inventory = null!;
    private WaitingRoomService _rooms = null!;
    private HoldService _holds = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(WaitingRoomShould));
        var cache = new WaitingRoomCache(_inventory.Time);
        _rooms = new WaitingRoomService(_inventory.Db, _tokens, Reseller, cache, _inventory.Time);
        _holds = new HoldService(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options, new EventMetadataCache(),
            new AdmissionGate(_inventory.Db, _tokens, Reseller, cache), _inventory.Batcher);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task GiveConcurrentJoinersDistinctPlacesAndTheSamePlaceOnASecondJoin()
    {
        var eventId = await RoomAsync(admitPerMinute: 60);
        var early = await JoinAsync(eventId, "early");

        var joins = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => JoinAsync(eventId, $"c{i}"))));
        var again = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => JoinAsync(eventId, $"c{i}"))));

        Assert.Equal(200, joins.Select(j => j.QueueNumber).Distinct().Count());
        Assert.All(joins, j => Assert.True(j.QueueNumber > early.QueueNumber));
        Assert.Equal(joins.Select(j => j.QueueNumber), again.Select(j => j.QueueNumber));
        Assert.Equal(201, (await _rooms.GetAsync(eventId, CancellationToken.None))!.Waiting);
        // the line is the join order: places 1..201 by queue number
        var places = await Task.WhenAll(joins.Select(j => _rooms.GetEntryAsync(eventId, j.CustomerRef, CancellationToken.None)));
        Assert.Equal(Enumerable.Range(2, 200).Select(p => (long)p), places.Select(p => p.ShouldSucceed()).OrderBy(p => p.QueueNumber).Select(p => p.Position!.Value));
        Assert.Equal(1, (await _rooms.GetEntryAsync(eventId, "early", CancellationToken.None)).ShouldSucceed().Position);
    }

    [Fact]
    public async Task CountPeopleAheadExactlyNearTheFrontAndEstimateThemFurtherBack()
    {
        var eventId = await RoomAsync(admitPerMinute: 60);
        const int line = 3 * WaitingRoomService.ExactAhead;
        // a long line, numbered with gaps (positions come from a sequence shared by every room of the database)
        await using (var fill = _inventory.Db.CreateCommand("""
            INSERT INTO queue_entries (event_id, customer_ref, joined_at, position) OVERRIDING SYSTEM VALUE
            SELECT $1, 'p' || i, now(), 1000000 + 3 * i + i % 2 FROM generate_series(1, $2) i
            """))
        {
            fill.Parameters.Add(new() { Value = eventId });
            fill.Parameters.Add(new() { Value = line });
            await fill.ExecuteNonQueryAsync();
        }

        var near = (await _rooms.GetEntryAsync(eventId, $"p{WaitingRoomService.ExactAhead - 10}", CancellationToken.None)).ShouldSucceed();
        var far = (await _rooms.GetEntryAsync(eventId, $"p{line}", CancellationToken.None)).ShouldSucceed();

        Assert.Equal(WaitingRoomService.ExactAhead - 11, near.PeopleAhead);
        Assert.Equal(near.PeopleAhead + 1, near.Position);
        Assert.InRange(far.PeopleAhead, line * 0.9, line * 1.1);
    }

    [Fact]
    public async Task AdmitAtTheConfiguredRateInQueueOrderAndNobodyBeforeOnSale()
    {
        var eventId = await RoomAsync(admitPerMinute: 120, onSaleIn: TimeSpan.FromSeconds(30));
        for (var i = 0; i < 50; i++)
        {
            await JoinAsync(eventId, $"c{i:D2}");
        }

        _inventory.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await _rooms.AdmitDueAsync(CancellationToken.None));
        _inventory.Time.Advance(TimeSpan.FromSeconds(1));   // on sale now

        var admitted = 0;
        for (var second = 1; second <= 10; second++)
        {
            _inventory.Time.Advance(TimeSpan.FromSeconds(1));
            admitted += await _rooms.AdmitDueAsync(CancellationToken.None);
            Assert.Equal(2 * second, admitted);
        }

        var order = await _inventory.ScalarAsync<string[]>(
            "SELECT array_agg(customer_ref ORDER BY position) FROM queue_entries WHERE event_id = $1 AND admitted_at IS NOT NULL", eventId);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"c{i:D2}"), order);
        var next = (await _rooms.GetEntryAsync(eventId, "c20", CancellationToken.None)).ShouldSucceed();
        Assert.Equal((QueueStatus.Waiting, 1L, 0L), (next.Status, next.Position!.Value, next.PeopleAhead));
        Assert.Equal(1, next.EstimatedWaitSeconds);   // 1 person at 2 per second
    }

    [Fact]
    public async Task RequireAnAdmissionTokenForAHoldAndSpendItOnce()
    {
        var (eventId, seats) = await ReservedRoomEventAsync(4);
        var token = await AdmittedTokenAsync(eventId, "alice");

        var none = await _holds.CreateAsync(Hold(eventId, "alice", seats[0], null), CancellationToken.None);
        var held = await _holds.CreateAsync(Hold(eventId, "alice", seats[0], token), CancellationToken.None);
        var reused = await _holds.CreateAsync(Hold(eventId, "alice", seats[1], token), CancellationToken.None);

        Assert.Equal(ErrorCodes.AdmissionRequired, none.Error?.Code);
        // the core speaks of the queue and the token; the API adds its route and header
        Assert.Equal("This event has a waiting room: join its queue and present the admission token you get when admitted.", none.Error?.Detail);
        held.ShouldSucceed();
        Assert.Equal(ErrorCodes.AdmissionTokenUsed, reused.Error?.Code);
        Assert.Equal(QueueStatus.Used, (await _rooms.GetEntryAsync(eventId, "alice", CancellationToken.None)).ShouldSucceed().Status);
    }

    [Fact]
    public async Task LetExactlyOneOfTenConcurrentHoldsUseAToken()
    {
        var (eventId, seats) = await ReservedRoomEventAsync(10);
        var token = await AdmittedTokenAsync(eventId, "alice");

        var results = await Task.WhenAll(seats.Select(seat => Task.Run(() => _holds.CreateAsync(Hold(eventId, "alice", seat, token), CancellationToken.None))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.AdmissionTokenUsed, r.Error!.Code));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE event_id = $1", eventId));
    }

    [Fact]
    public async Task KeepTheTokenWhenTheHoldFails()
    {
        var (eventId, seats) = await ReservedRoomEventAsync(2);
        (await _inventory.HoldSeatsAsync(eventId, [seats[0]], "bob")).ShouldSucceed();   // a hold made without the gate (as waitlist offers are)
        var token = await AdmittedTokenAsync(eventId, "alice");

        var conflict = await _holds.CreateAsync(Hold(eventId, "alice", seats[0], token), CancellationToken.None);
        var held = await _holds.CreateAsync(Hold(eventId, "alice", seats[1], token), CancellationToken.None);

        Assert.Equal(ErrorCodes.SeatUnavailable, conflict.Error?.Code);
        held.ShouldSucceed();
    }

    [Fact]
    public async Task RefuseTamperedExpiredForeignAndOtherCustomersTokens()
    {
        var (eventId, seats) = await ReservedRoomEventAsync(4);
        var (otherEvent, _) = await ReservedRoomEventAsync(1);
        var token = await AdmittedTokenAsync(eventId, "alice");
        var otherToken = await AdmittedTokenAsync(otherEvent, "alice");
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var tampered = token[..(dot - 2)] + (token[dot - 2] == 'A' ? 'B' : 'A') + token[(dot - 1)..];
        var foreignKey = new AdmissionTokens("another-cell-signing-key-0123456789abcdef").Issue(
            _tokens.Verify(token, Reseller, eventId, "alice", _inventory.Time.GetUtcNow()).Claims!);

        Assert.Equal(ErrorCodes.AdmissionTokenInvalid, (await _holds.CreateAsync(Hold(eventId, "alice", seats[0], tampered), CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.AdmissionTokenInvalid, (await _holds.CreateAsync(Hold(eventId, "alice", seats[0], foreignKey), CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.AdmissionTokenInvalid, (await _holds.CreateAsync(Hold(eventId, "alice", seats[0], otherToken), CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.AdmissionTokenInvalid, (await _holds.CreateAsync(Hold(eventId, "mallory", seats[0], token), CancellationToken.None)).Error?.Code);
        Assert.Equal(AdmissionFailure.OtherEvent, _tokens.Verify(token, "globex", eventId, "alice", _inventory.Time.GetUtcNow()).Failure);

        _inventory.Time.Advance(TimeSpan.FromSeconds(121));   // past the token's life, within the window
        Assert.Equal(ErrorCodes.AdmissionTokenExpired, (await _holds.CreateAsync(Hold(eventId, "alice", seats[0], token), CancellationToken.None)).Error?.Code);
        var fresh = (await _rooms.GetEntryAsync(eventId, "alice", CancellationToken.None)).ShouldSucceed().AdmissionToken!;
        (await _holds.CreateAsync(Hold(eventId, "alice", seats[0], fresh), CancellationToken.None)).ShouldSucceed();
    }

    [Fact]
    public async Task ExpireAnUnusedWindowAndSendARejoinerToTheBack()
    {
        var (eventId, seats) = await ReservedRoomEventAsync(2);
        var token = await AdmittedTokenAsync(eventId, "alice");
        var before = (await _rooms.GetEntryAsync(eventId, "alice", CancellationToken.None)).ShouldSucceed();
        await JoinAsync(eventId, "bob");

        _inventory.Time.Advance(TimeSpan.FromSeconds(601));

        Assert.Equal(QueueStatus.Expired, (await _rooms.GetEntryAsync(eventId, "alice", CancellationToken.None)).ShouldSucceed().Status);
        Assert.Equal(ErrorCodes.AdmissionTokenExpired, (await _holds.CreateAsync(Hold(eventId, "alice", seats[0], token), CancellationToken.None)).Error?.Code);
        var rejoined = await JoinAsync(eventId, "alice");
        Assert.True(rejoined.QueueNumber > before.QueueNumber);
        Assert.Equal((QueueStatus.Waiting, 1L), (rejoined.Status, rejoined.PeopleAhead));
    }

    private async Task<Guid> RoomAsync(int admitPerMinute, TimeSpan? onSaleIn = null)
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10));
        (await _rooms.ConfigureAsync(ev.Id, new WaitingRoomSettings(_inventory.Time.GetUtcNow() + (onSaleIn ?? TimeSpan.Zero), admitPerMinute, 600), "staff:test",
            CancellationToken.None)).ShouldSucceed();
        return ev.Id;
    }

    private async Task<(Guid EventId, List<Guid> Seats)> ReservedRoomEventAsync(int seats)
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.Reserved(seats));
        var map = await _inventory.SeatMapAsync(ev.Id);
        (await _rooms.ConfigureAsync(ev.Id, new WaitingRoomSettings(_inventory.Time.GetUtcNow(), 6000, 600), "staff:test", CancellationToken.None)).ShouldSucceed();
        return (ev.Id, map.Seats.Select(s => s.Id).ToList());
    }

    private async Task<string> AdmittedTokenAsync(Guid eventId, string customer)
    {
        await JoinAsync(eventId, customer);
        _inventory.Time.Advance(TimeSpan.FromSeconds(1));
        await _rooms.AdmitDueAsync(CancellationToken.None);
        var entry = (await _rooms.GetEntryAsync(eventId, customer, CancellationToken.None)).ShouldSucceed();
        Assert.Equal(QueueStatus.Admitted, entry.Status);
        return entry.AdmissionToken!;
    }

    private async Task<QueueEntryView> JoinAsync(Guid eventId, string customer) =>
        (await _rooms.JoinAsync(eventId, customer, CancellationToken.None)).ShouldSucceed();

    private static CreateHoldCommand Hold(Guid eventId, string customer, Guid seat, string? token) =>
        new(eventId, customer, [seat], null, null, AdmissionToken: token);
}
