using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Many buyers racing for the same seats through the service, on a pool smaller than the crowd, as under a real
/// on-sale: correctness must come from the one conditional write, not from luck in timing.
/// </summary>
public abstract class HoldServiceConcurrencyShould(PostgresServer postgres, bool batching) : IAsyncLifetime
{
    private const int Buyers = 1000;
    private const int Capacity = 100;
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() =>
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(HoldServiceConcurrencyShould) + (batching ? "_batched" : "_alone"), maxPoolSize: 100, batching: batching);

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task SellEachReservedSeatExactlyOnceWhenAThousandBuyersRace()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(Capacity));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, Buyers).Select(i =>
            Task.Run(() => _inventory.HoldSeatsAsync(created.Id, [seats[i % Capacity]], $"buyer-{i}"))));

        var holds = results.Where(r => r.IsSuccess).Select(r => r.Value!).ToList();
        Assert.Equal(Capacity, holds.Count);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SeatUnavailable, r.Error!.Code));
        Assert.Equal(seats.Order(), holds.Select(h => h.Seats.Single().SeatId).Order());
        await ConfirmAllAndCheckTicketsAsync(holds);
    }

    [Fact]
    public async Task SellEachGeneralAdmissionTicketExactlyOnceWhenAThousandBuyersRace()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(Capacity));
        var classId = created.TicketClasses[0].Id;

        var results = await Task.WhenAll(Enumerable.Range(0, Buyers).Select(i =>
            Task.Run(() => _inventory.HoldTicketsAsync(created.Id, classId, 1, $"buyer-{i}"))));

        var holds = results.Where(r => r.IsSuccess).Select(r => r.Value!).ToList();
        Assert.Equal(Capacity, holds.Count);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SoldOut, r.Error!.Code));
        Assert.Equal(Capacity, holds.Select(h => h.Seats.Single().SeatId).Distinct().Count());
        await ConfirmAllAndCheckTicketsAsync(holds);
    }

    [Fact]
    public async Task HoldAdjacentSeatPairsAllOrNothingUnderContention()
    {
        const int seatCount = 50;
        const int pairs = 200;
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(seatCount));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();
        var random = new Random(20_300_601);
        var requests = Enumerable.Range(0, pairs).Select(_ => random.Next(seatCount - 1)).Select(k => new[] { seats[k], seats[k + 1] }).ToArray();

        var results = await Task.WhenAll(requests.Select((pair, i) =>
            Task.Run(() => _inventory.HoldSeatsAsync(created.Id, pair, $"pair-{i}"))));

        var won = results.Where(r => r.IsSuccess).Select(r => r.Value!).ToList();
        Assert.NotEmpty(won);
        for (var i = 0; i < pairs; i++)
        {
            if (results[i].IsSuccess)
            {
                Assert.Equal(requests[i].Order(), results[i].Value!.Seats.Select(s => s.SeatId).Order());
            }
            else
            {
                var error = results[i].ShouldFailWith(ErrorCodes.SeatUnavailable);
                Assert.NotEmpty(error.UnavailableSeatIds!);
                Assert.All(error.UnavailableSeatIds!, id => Assert.Contains(id, requests[i]));
            }
        }

        Assert.Equal(won.Count * 2, won.SelectMany(h => h.Seats).Select(s => s.SeatId).Distinct().Count());
        // The database agrees: every active hold has both its seats, no seat is on two active holds, and every held seat
        // points at the hold that lists it.
        Assert.Equal(won.Count, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE status = 0"));
        Assert.Equal(0, await _inventory.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT hold_id FROM hold_items GROUP BY hold_id HAVING count(*) <> 2) x
            """));
        Assert.Equal(0, await _inventory.ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT i.seat_id FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE h.status = 0
                GROUP BY i.seat_id HAVING count(*) > 1) x
            """));
        Assert.Equal(won.Count * 2L, await _inventory.ScalarAsync<long>("""
            SELECT count(*) FROM hold_items i JOIN seats s ON s.id = i.seat_id AND s.hold_id = i.hold_id WHERE s.status = 1
            """));
        Assert.Equal(won.Count * 2L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE status = 1"));
    }

    private async Task ConfirmAllAndCheckTicketsAsync(IReadOnlyList<HoldView> holds)
    {
        var orders = await Task.WhenAll(holds.Select(h => Task.Run(() => _inventory.ConfirmAsync(h.Id))));

        Assert.All(orders, o => Assert.Single(o.ShouldSucceed().Tickets));
        Assert.Equal(Capacity, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE status = 'valid'"));
        Assert.Equal(Capacity, await _inventory.ScalarAsync<long>("SELECT count(DISTINCT seat_id) FROM tickets WHERE status = 'valid'"));
        Assert.Equal(Capacity, await _inventory.ScalarAsync<long>("SELECT count(DISTINCT code) FROM tickets"));
        Assert.Equal(Capacity, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE status = 2"));
    }
}

/// <summary>Claims grouped by the batcher, as the API runs them.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class BatchedHoldServiceConcurrencyShould(PostgresServer postgres) : HoldServiceConcurrencyShould(postgres, batching: true);

/// <summary>Each claim in its own transaction, as the worker runs them.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class UnbatchedHoldServiceConcurrencyShould(PostgresServer postgres) : HoldServiceConcurrencyShould(postgres, batching: false);
