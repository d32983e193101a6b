using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Concurrent claims grouped into one round trip and one transaction per batch: every claim keeps its own outcome, a
/// failing statement reaches only its own hold, and holds need no more connections than there are drain loops.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class ClaimBatcherShould(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentBag<int> _batchSizes = [];
    private long _retried;
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == InventoryMetrics.MeterName
                && instrument.Name is "ticketaspire.holds.claim_batch_size" or "ticketaspire.holds.claim_batches_retried")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, size, _, _) => _batchSizes.Add(size));
        _listener.SetMeasurementEventCallback<long>((_, n, _, _) => Interlocked.Add(ref _retried, n));
        _listener.Start();
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(ClaimBatcherShould), maxPoolSize: 2);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task SellOutExactlyWithTwoHundredBuyersOnTwoConnections()
    {
        const int capacity = 50;
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(capacity));
        var classId = created.TicketClasses[0].Id;

        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => _inventory.HoldTicketsAsync(created.Id, classId, 1, $"buyer-{i}"))));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"200 holds on 2 connections took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(capacity, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SoldOut, r.Error!.Code));
        Assert.Equal(capacity, results.Where(r => r.IsSuccess).Select(r => r.Value!.Seats.Single().SeatId).Distinct().Count());
        Assert.Equal((long)capacity, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 1", created.Id));
        Assert.True(_batchSizes.Max() > 1, $"no batch had more than one claim: {string.Join(",", _batchSizes)}");
        Assert.Equal(0, _inventory.Batcher!.Waiting);
    }

    [Fact]
    public async Task AnswerTheOtherClaimsOfABatchWhoseStatementFailedForOneHold()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(100));
        var classId = created.TicketClasses[0].Id;
        // a real statement failure for one customer's claim: the hold row is refused by a trigger
        await using (var ddl = _inventory.Db.CreateCommand("""
            CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.customer_ref = 'poison' THEN RAISE EXCEPTION 'poisoned hold'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_poison BEFORE INSERT ON holds FOR EACH ROW EXECUTE FUNCTION refuse_poison();
            """))
        {
            await ddl.ExecuteNonQueryAsync();
        }

        // one drain loop, kept busy by a claim waiting for its customer lock, so the next claims queue up as one batch
        var batcher = new ClaimBatcher(_inventory.Db, new ClaimBatchingOptions { LoopsPerEvent = 1 });
        var holds = new HoldService(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options, new EventMetadataCache(), batcher: batcher);
        await using var blocker = await _inventory.Db.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('first:' || $1::text, 0))", blocker))
        {
            take.Parameters.Add(new() { Value = created.Id });
            await take.ExecuteNonQueryAsync();
        }

        var first = Task.Run(() => holds.CreateAsync(Hold(created.Id, classId, "first"), CancellationToken.None));
        await WaitUntilAsync(async () => !first.IsCompleted && await WaitingForAdvisoryLockAsync(blocker));
        var customers = Enumerable.Range(0, 20).Select(i => $"good-{i}").Append("poison").ToArray();
        var rest = customers.Select(c => Task.Run(() => holds.CreateAsync(Hold(created.Id, classId, c), CancellationToken.None))).ToArray();
        await WaitUntilAsync(() => Task.FromResult(batcher.Waiting == customers.Length));
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", blocker))
        {
            await release.ExecuteNonQueryAsync();
        }

        (await first).ShouldSucceed();
        var poisoned = await Assert.ThrowsAsync<PostgresException>(() => rest[^1]);
        Assert.Contains("poisoned hold", poisoned.MessageText, StringComparison.Ordinal);
        foreach (var good in rest[..^1])
        {
            (await good).ShouldSucceed();
        }

        Assert.Contains(customers.Length, _batchSizes);
        Assert.True(Interlocked.Read(ref _retried) >= 1);
        Assert.Equal(21L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE event_id = $1", created.Id));
        Assert.Equal(21L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 1", created.Id));
    }

    [Fact]
    public async Task KeepEachCustomersLimitAcrossTheClaimsOfOneBatch()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(200));
        var classId = created.TicketClasses[0].Id;

        // 3 customers × 20 concurrent holds of 1: batches mix them, and each customer still gets exactly the limit
        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => _inventory.HoldTicketsAsync(created.Id, classId, 1, $"c{i % 3}"))));

        Assert.Equal(3 * _inventory.Options.MaxTicketsPerCustomerPerEvent, results.Count(r => r.IsSuccess));
        foreach (var customer in new[] { "c0", "c1", "c2" })
        {
            Assert.Equal((long)_inventory.Options.MaxTicketsPerCustomerPerEvent, await _inventory.ScalarAsync<long>(
                "SELECT count(*) FROM holds h JOIN hold_items i ON i.hold_id = h.id WHERE h.customer_ref = $1", customer));
        }
    }

    [Fact]
    public async Task NeverDeadlockBetweenBatchesOfTwoProcessesWithCrossingSeatPairs()
    {
        const int seatCount = 40;
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(seatCount));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();
        // two API replicas: two batchers, two drain loops each, on the same database
        var replicas = Enumerable.Range(0, 2).Select(_ => new HoldService(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options,
            new EventMetadataCache(), batcher: new ClaimBatcher(_inventory.Db, new ClaimBatchingOptions()))).ToArray();
        var random = new Random(4_242);
        // pairs listed high seat first and low seat first, so claims of one batch would cross those of another
        var requests = Enumerable.Range(0, 300).Select(i => (k: random.Next(seatCount - 1), i))
            .Select(x => x.i % 2 == 0 ? new[] { seats[x.k], seats[x.k + 1] } : [seats[x.k + 1], seats[x.k]]).ToArray();

        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(requests.Select((pair, i) => Task.Run(() =>
            replicas[i % 2].CreateAsync(new CreateHoldCommand(created.Id, $"pair-{i}", pair, null, null), CancellationToken.None))));

        Assert.Equal(0, Interlocked.Read(ref _retried));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"300 pair holds took {watch.Elapsed.TotalSeconds:F1} s");
        var won = results.Where(r => r.IsSuccess).Select(r => r.Value!).ToList();
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SeatUnavailable, r.Error!.Code));
        Assert.All(won, h => Assert.Equal(2, h.Seats.Count));
        Assert.Equal(won.Count * 2, won.SelectMany(h => h.Seats).Select(s => s.SeatId).Distinct().Count());
        Assert.Equal(won.Count * 2L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 1", created.Id));
    }

    private static CreateHoldCommand Hold(Guid eventId, Guid classId, string customer) =>
        new(eventId, customer, null, [new TicketRequest(classId, 1)], null);

    private static async Task<bool> WaitingForAdvisoryLockAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", conn);
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for the batcher");
            await Task.Delay(10);
        }

        await Task.Delay(100);
        Assert.True(await condition());
    }
}
