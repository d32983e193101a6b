using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class OrderQueriesShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(OrderQueriesShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task ListOrdersOfOneCustomerNewestFirst()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(4));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        var orders = new List<Guid>();
        foreach (var (seat, customer) in new[] { (seats[0], "alice"), (seats[1], "bob"), (seats[2], "alice") })
        {
            var hold = (await _inventory.HoldSeatsAsync(created.Id, [seat.Id], customer)).ShouldSucceed();
            orders.Add((await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed().Id);
            _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var alice = await _inventory.Orders.ListByCustomerAsync("alice", 1, 10, CancellationToken.None);

        Assert.Equal([orders[2], orders[0]], alice.Select(o => o.Id));
        Assert.Equal([seats[2].Id], alice[0].Tickets.Select(t => t.SeatId));
    }

    [Fact]
    public async Task ReportAnUnknownOrder()
    {
        var result = await _inventory.Orders.GetAsync(Guid.CreateVersion7(), CancellationToken.None);

        result.ShouldFailWith(ErrorCodes.OrderNotFound);
    }
}
