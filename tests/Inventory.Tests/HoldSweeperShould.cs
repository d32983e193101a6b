using TicketAspire.Inventory.Sales;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class HoldSweeperShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(HoldSweeperShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task ExpireLapsedHoldsFreeTheirSeatsAndTellTheOutbox()
    {
        var (eventId, seats) = await ReservedEventAsync(3);
        var lapsed = (await _inventory.HoldSeatsAsync(eventId, [seats[0], seats[1]], expireInSeconds: 30)).ShouldSucceed();
        var live = (await _inventory.HoldSeatsAsync(eventId, [seats[2]], expireInSeconds: 120)).ShouldSucceed();
        _inventory.Time.Advance(TimeSpan.FromSeconds(60));

        var swept = await _inventory.Sweeper.SweepAsync(100, CancellationToken.None);

        Assert.Equal(new Dictionary<Guid, int> { [eventId] = 1 }, swept);
        Assert.Equal((short)HoldStatus.Expired, await StatusOfAsync(lapsed.Id));
        Assert.Equal((short)HoldStatus.Active, await StatusOfAsync(live.Id));
        Assert.Equal(2, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE status = 0 AND hold_id IS NULL AND hold_expires_at IS NULL"));
        var payload = await ExpiredPayloadAsync(lapsed.Id);
        Assert.Equal(lapsed.Id, payload.GetProperty("hold_id").GetGuid());
        Assert.Equal(seats[..2].Order(), payload.GetProperty("released_seat_ids").EnumerateArray().Select(e => e.GetGuid()).Order());
        Assert.Empty(await _inventory.Sweeper.SweepAsync(100, CancellationToken.None));
    }

    [Fact]
    public async Task LeaveSeatsThatANewHoldAlreadyTook()
    {
        var (eventId, seats) = await ReservedEventAsync(1);
        var lapsed = (await _inventory.HoldSeatsAsync(eventId, [seats[0]], "alice", expireInSeconds: 30)).ShouldSucceed();
        _inventory.Time.Advance(TimeSpan.FromSeconds(31));
        var taken = (await _inventory.HoldSeatsAsync(eventId, [seats[0]], "bob")).ShouldSucceed();

        await _inventory.Sweeper.SweepAsync(100, CancellationToken.None);

        Assert.Equal((short)HoldStatus.Expired, await StatusOfAsync(lapsed.Id));
        Assert.Equal(taken.Id, await _inventory.ScalarAsync<Guid>("SELECT hold_id FROM seats WHERE id = $1 AND status = 1", seats[0]));
        Assert.Empty((await ExpiredPayloadAsync(lapsed.Id)).GetProperty("released_seat_ids").EnumerateArray());
        (await _inventory.ConfirmAsync(taken.Id)).ShouldSucceed();
    }

    [Fact]
    public async Task SkipAHoldThatAConfirmHasLocked()
    {
        var (eventId, seats) = await ReservedEventAsync(1);
        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[0]], expireInSeconds: 30)).ShouldSucceed();
        _inventory.Time.Advance(TimeSpan.FromSeconds(31));

        // A confirm in progress holds the hold's row lock (ConfirmAsync locks it FOR UPDATE first) and then commits.
        await using (var conn = await _inventory.Db.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var lockHold = new NpgsqlCommand("SELECT 1 FROM holds WHERE id = $1 FOR UPDATE", conn, tx) { Parameters = { new() { Value = hold.Id } } })
            {
                await lockHold.ExecuteScalarAsync();
            }

            var swept = await _inventory.Sweeper.SweepAsync(100, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Empty(swept);

            await using var confirm = new NpgsqlCommand("""
                UPDATE seats SET status = 2, hold_expires_at = NULL WHERE hold_id = $1;
                UPDATE holds SET status = 1, closed_at = now() WHERE id = $1;
                """.Replace("$1", "@id", StringComparison.Ordinal), conn, tx) { Parameters = { new("id", hold.Id) } };
            await confirm.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        Assert.Empty(await _inventory.Sweeper.SweepAsync(100, CancellationToken.None));
        Assert.Equal((short)HoldStatus.Confirmed, await StatusOfAsync(hold.Id));
        Assert.Equal(0, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'hold.expired'"));
    }

    [Fact]
    public async Task NeverBothConfirmAndExpireAHoldWhenTheyRace()
    {
        const int count = 40;
        var (eventId, seats) = await ReservedEventAsync(count);
        var holds = new List<HoldView>();
        foreach (var (seat, i) in seats.Select((s, i) => (s, i)))
        {
            // one customer per hold: 40 tickets for one customer would pass the purchase limit
            holds.Add((await _inventory.HoldSeatsAsync(eventId, [seat], $"racer-{i}", expireInSeconds: 60)).ShouldSucceed());
        }

        // The confirming clock still sees every hold live; the sweeping clock sees every hold expired.
        var confirmer = new SaleService(_inventory.Db, _inventory.Cache, new FakeTimeProvider(_inventory.Time.GetUtcNow()));
        _inventory.Time.Advance(TimeSpan.FromSeconds(61));

        var confirms = Task.WhenAll(holds.Select(h => Task.Run(() =>
            _inventory.ConfirmAsync(h.Id, confirmer))));
        var sweeps = Task.Run(async () =>
        {
            var total = 0;
            for (var round = 0; round < 200 && !confirms.IsCompleted; round++)
            {
                total += (await _inventory.Sweeper.SweepAsync(5, CancellationToken.None)).Values.Sum();
            }

            return total;
        });
        var results = await confirms;
        var swept = await sweeps + (await _inventory.Sweeper.SweepAsync(count, CancellationToken.None)).Values.Sum();

        for (var i = 0; i < count; i++)
        {
            var status = (HoldStatus)await StatusOfAsync(holds[i].Id);
            var seatStatus = await _inventory.ScalarAsync<short>("SELECT status FROM seats WHERE id = $1", seats[i]);
            var tickets = await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE seat_id = $1", seats[i]);
            if (results[i].IsSuccess)
            {
                Assert.Equal((HoldStatus.Confirmed, (short)2, 1L), (status, seatStatus, tickets));
            }
            else
            {
                results[i].ShouldFailWith(ErrorCodes.HoldExpired);
                Assert.Equal((HoldStatus.Expired, (short)0, 0L), (status, seatStatus, tickets));
            }
        }

        Assert.Equal(results.Count(r => !r.IsSuccess), swept);
        Assert.Equal(swept, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'hold.expired'"));
    }

    private async Task<(Guid EventId, Guid[] Seats)> ReservedEventAsync(int seats)
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(seats));
        return (created.Id, [.. (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id)]);
    }

    private Task<short> StatusOfAsync(Guid holdId) => _inventory.ScalarAsync<short>("SELECT status FROM holds WHERE id = $1", holdId);

    private async Task<JsonElement> ExpiredPayloadAsync(Guid holdId)
    {
        var json = await _inventory.ScalarAsync<string>(
            "SELECT payload::text FROM outbox WHERE topic = 'hold.expired' AND aggregate_id = $1", holdId);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
