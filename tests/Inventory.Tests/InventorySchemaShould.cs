using Npgsql;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>The constraints that hold even if the code above them is wrong.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class InventorySchemaShould(PostgresServer postgres) : IAsyncLifetime
{
    private const string CopyTicket = """
        INSERT INTO tickets (id, order_id, event_id, seat_id, class_id, price_minor, currency, code, status, issued_at)
        SELECT gen_random_uuid(), order_id, event_id, seat_id, class_id, price_minor, currency, $1, $2, issued_at FROM tickets LIMIT 1
        """;

    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(InventorySchemaShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task RejectASecondValidTicketForASoldSeat()
    {
        await SellOneSeatAsync();

        var ex = await Assert.ThrowsAsync<PostgresException>(() => _inventory.ScalarAsync<object>(CopyTicket, "TA-DUPLICATE", "valid"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
        Assert.Equal("tickets_one_valid_per_seat", ex.ConstraintName);
    }

    [Fact]
    public async Task AllowAVoidTicketBesideTheValidOneForASeat()
    {
        await SellOneSeatAsync();

        await _inventory.ScalarAsync<object>(CopyTicket, "TA-VOIDED", "void");

        Assert.Equal(2, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task RejectAHeldSeatWithoutAHold()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(1));

        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            _inventory.ScalarAsync<object>("UPDATE seats SET status = 1 WHERE event_id = $1", created.Id));

        Assert.Equal((PostgresErrorCodes.CheckViolation, "seat_state"), (ex.SqlState, ex.ConstraintName));
    }

    private async Task SellOneSeatAsync()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(1));
        var seat = (await _inventory.SeatMapAsync(created.Id)).Seats[0];
        var hold = (await _inventory.HoldSeatsAsync(created.Id, [seat.Id])).ShouldSucceed();
        (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();
    }
}
