using System.Security.Cryptography;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Lotteries on a real Postgres: registration in a window, a seeded draw that anyone can recompute from the published
/// seed, winners admitted into a purchase window through the same admission check as a waiting room, losers refused.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class LotteryServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private readonly AdmissionTokens _tokens = new("test-signing-key-0123456789abcdef0123456789");
    private InventoryHarness _inventory = null!;
    private WaitingRoomService _rooms = null!;
    private LotteryService _lotteries = null!;
    private HoldService _holds = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(LotteryServiceShould));
        var cache = new WaitingRoomCache(_inventory.Time);
        _rooms = new WaitingRoomService(_inventory.Db, _tokens, "acme", cache, _inventory.Time);
        _lotteries = new LotteryService(_inventory.Db, _rooms, cache, _inventory.Time);
        _holds = new HoldService(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options, new EventMetadataCache(),
            new AdmissionGate(_inventory.Db, _tokens, "acme", cache), _inventory.Batcher);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private async Task<(Guid EventId, Guid ClassId)> LotteryAsync(int winners, int capacity = 100)
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(capacity));
        var now = _inventory.Time.GetUtcNow();
        (await _lotteries.ConfigureAsync(ev.Id, new LotterySettings(now, now.AddMinutes(10), winners, 3600), "integrator:acme-backend", CancellationToken.None)).ShouldSucceed();
        return (ev.Id, ev.TicketClasses[0].Id);
    }

    private Task<Result<HoldView>> HoldAsync(Guid eventId, Guid classId, string customer, string? token) =>
        _holds.CreateAsync(new CreateHoldCommand(eventId, customer, null, [new TicketRequest(classId, 1)], null, AdmissionToken: token), CancellationToken.None);

    [Fact]
    public async Task DrawWinnersAnyoneCanRecomputeAndLetOnlyThemHold()
    {
        var (eventId, classId) = await LotteryAsync(winners: 10);
        var entrants = Enumerable.Range(0, 50).Select(i => $"fan-{i}").ToList();
        await Task.WhenAll(entrants.Select(e => Task.Run(() => _lotteries.RegisterAsync(eventId, e, $"{e}@example.com", CancellationToken.None))));
        (await _lotteries.RegisterAsync(eventId, "fan-0", null, CancellationToken.None)).ShouldSucceed();   // again: the same entry
        var before = (await _lotteries.GetAsync(eventId, CancellationToken.None))!;
        Assert.Equal(("open", 50L, (string?)null), (before.Status, before.Entries, before.Seed));
        (await _lotteries.DrawAsync(eventId, CancellationToken.None)).ShouldFailWith(ErrorCodes.LotteryNotDrawn);
        (await _rooms.JoinAsync(eventId, "queue-jumper", CancellationToken.None)).ShouldFailWith(ErrorCodes.QueueIsALottery);
        (await HoldAsync(eventId, classId, "fan-0", null)).ShouldFailWith(ErrorCodes.AdmissionRequired);

        _inventory.Time.Advance(TimeSpan.FromMinutes(11));
        (await _lotteries.RegisterAsync(eventId, "late-fan", null, CancellationToken.None)).ShouldFailWith(ErrorCodes.LotteryClosed);
        var draws = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _lotteries.DrawAsync(eventId, CancellationToken.None))));
        var drawn = draws[0].ShouldSucceed();

        // one draw, whoever asked; the published seed hashes to what was published before, and ranks the entrants as recorded
        Assert.All(draws, d => Assert.Equal(drawn.DrawnAt, d.ShouldSucceed().DrawnAt));
        Assert.Equal((10L, 50L), (drawn.Won, drawn.Entries));
        var seed = Convert.FromHexString(drawn.Seed!);
        Assert.Equal(before.SeedSha256, Convert.ToHexStringLower(SHA256.HashData(seed)));
        var ranked = (await _lotteries.ResultsAsync(eventId, 100, CancellationToken.None)).ShouldSucceed();
        Assert.Equal(LotteryService.Rank(seed, entrants), ranked.Select(r => r.CustomerRef));
        var winners = ranked.Where(r => r.Won).Select(r => r.CustomerRef).ToList();
        Assert.Equal(ranked.Take(10).Select(r => r.CustomerRef), winners);

        // winners hold with their admission (once); losers cannot, with or without someone else's token
        var winner = (await _lotteries.GetEntryAsync(eventId, winners[0], CancellationToken.None)).ShouldSucceed();
        Assert.Equal(("won", 1), (winner.Status, winner.Rank));
        (await HoldAsync(eventId, classId, winners[0], winner.AdmissionToken)).ShouldSucceed();
        Assert.Equal("used", (await _lotteries.GetEntryAsync(eventId, winners[0], CancellationToken.None)).ShouldSucceed().Status);
        var loser = ranked.First(r => !r.Won).CustomerRef;
        Assert.Equal("lost", (await _lotteries.GetEntryAsync(eventId, loser, CancellationToken.None)).ShouldSucceed().Status);
        var other = (await _lotteries.GetEntryAsync(eventId, winners[1], CancellationToken.None)).ShouldSucceed().AdmissionToken;
        Assert.False((await HoldAsync(eventId, classId, loser, other)).IsSuccess);
        (await HoldAsync(eventId, classId, loser, null)).ShouldFailWith(ErrorCodes.AdmissionRequired);

        // nobody else is admitted by the waiting room's rate, and every entrant is told (one result each, one draw notice)
        _inventory.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await _rooms.AdmitDueAsync(CancellationToken.None));
        Assert.Equal(50L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'lottery.result' AND event_id = $1", eventId));
        Assert.Equal(10L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'lottery.result' AND event_id = $1 AND (payload->>'won')::boolean", eventId));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'lottery.drawn' AND event_id = $1", eventId));
    }

    [Fact]
    public async Task RefuseBadSettingsAndAChangeAfterTheDraw()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5));
        var now = _inventory.Time.GetUtcNow();

        var invalid = (await _lotteries.ConfigureAsync(ev.Id, new LotterySettings(now, now.AddMinutes(-1), 0, 10), "t", CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);
        Assert.Equal(["registration_closes_at", "window_seconds", "winners"], invalid.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        (await _lotteries.ConfigureAsync(Guid.NewGuid(), new LotterySettings(now, now.AddMinutes(1), 1, 600), "t", CancellationToken.None))
            .ShouldFailWith(ErrorCodes.EventNotFound);
        (await _lotteries.ConfigureAsync(ev.Id, new LotterySettings(now, now.AddMinutes(1), 1, 600), "t", CancellationToken.None)).ShouldSucceed();
        _inventory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _lotteries.DrawDueAsync(CancellationToken.None));   // the worker's pass: nobody registered, still drawn
        (await _lotteries.ConfigureAsync(ev.Id, new LotterySettings(now, now.AddMinutes(30), 1, 600), "t", CancellationToken.None))
            .ShouldFailWith(ErrorCodes.LotteryDrawn);
        Assert.Equal(0, await _lotteries.DrawDueAsync(CancellationToken.None));
    }
}
