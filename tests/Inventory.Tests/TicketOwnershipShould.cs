using Npgsql;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Inventory.Tickets;

namespace TicketAspire.Inventory.Tests;

/// <summary>The ownership primitive on a real Postgres: a reissue kills the old code and issues a new one, once.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class TicketOwnershipShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(TicketOwnershipShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private async Task<Guid> SoldTicketAsync(string customer)
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5));
        var hold = (await _inventory.HoldTicketsAsync(ev.Id, ev.TicketClasses[0].Id, 1, customer)).ShouldSucceed();
        var order = (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();
        return Assert.Single(order.Tickets).Id;
    }

    private async Task<ReissuedTicket?> ReissueAsync(Guid ticketId, string to)
    {
        await using var conn = await _inventory.Db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var reissued = await TicketOwnership.ReissueAsync(conn, tx, ticketId, TicketStatuses.Transferred, TicketStatuses.OriginTransfer, to,
            $"{to}@example.com", null, null, _inventory.Time.GetUtcNow(), CancellationToken.None);
        await tx.CommitAsync();
        return reissued;
    }

    [Fact]
    public async Task BelongToTheOrdersCustomerWhenSold()
    {
        var ticketId = await SoldTicketAsync("alice");

        var ticket = (await new TicketQueries(_inventory.Db).GetAsync(ticketId, "alice", CancellationToken.None)).ShouldSucceed();

        Assert.Equal(("alice", "valid", "sale"), (ticket.OwnerRef, ticket.Status, ticket.Origin));
        Assert.NotNull(ticket.Code);
    }

    [Fact]
    public async Task KillTheOldCodeAndIssueANewTicketForTheSameSeatToTheNewOwner()
    {
        var ticketId = await SoldTicketAsync("alice");
        var oldCode = await _inventory.ScalarAsync<string>("SELECT code FROM tickets WHERE id = $1", ticketId);

        var reissued = await ReissueAsync(ticketId, "bob");

        Assert.NotNull(reissued);
        var tickets = new TicketQueries(_inventory.Db);
        var old = (await tickets.GetAsync(ticketId, "alice", CancellationToken.None)).ShouldSucceed();
        var fresh = (await tickets.GetAsync(reissued.NewTicketId, "bob", CancellationToken.None)).ShouldSucceed();
        Assert.Equal(("transferred", (string?)null, reissued.NewTicketId), (old.Status, old.Code, old.ReplacedBy));
        Assert.Equal(("valid", "transfer", old.SeatId), (fresh.Status, fresh.Origin, fresh.SeatId));
        Assert.NotEqual(oldCode, fresh.Code);
        Assert.Equal(reissued.NewCode, fresh.Code);
        // the old owner no longer finds the new ticket; the order shows the dead one only
        (await tickets.GetAsync(reissued.NewTicketId, "alice", CancellationToken.None)).ShouldFailWith(Model.ErrorCodes.TicketNotFound);
        var order = (await _inventory.Orders.GetAsync(old.OrderId, CancellationToken.None)).ShouldSucceed();
        Assert.Equal("transferred", Assert.Single(order.Tickets).Status);
    }

    [Fact]
    public async Task ReissueATicketOnceOnly()
    {
        var ticketId = await SoldTicketAsync("alice");
        Assert.NotNull(await ReissueAsync(ticketId, "bob"));

        Assert.Null(await ReissueAsync(ticketId, "carol"));

        Assert.Equal(1L, await _inventory.ScalarAsync<long>(
            "SELECT count(*) FROM tickets WHERE seat_id = (SELECT seat_id FROM tickets WHERE id = $1) AND status = 'valid'", ticketId));
    }

    [Fact]
    public async Task IssueOneNewTicketWhenTwentyReissuesOfOneTicketRace()
    {
        var ticketId = await SoldTicketAsync("alice");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => ReissueAsync(ticketId, $"racer-{i}"))));

        Assert.Single(results, r => r is not null);
        Assert.Equal(2L, await _inventory.ScalarAsync<long>(
            "SELECT count(*) FROM tickets WHERE seat_id = (SELECT seat_id FROM tickets WHERE id = $1)", ticketId));
    }

    [Fact]
    public async Task HaveTheUniqueIndexRefuseASecondValidTicketForTheSeat()
    {
        var ticketId = await SoldTicketAsync("alice");
        var reissued = await ReissueAsync(ticketId, "bob");

        // code that forgot the conditional update: bring the dead ticket back to life next to the new one
        var ex = await Assert.ThrowsAsync<PostgresException>(() => _inventory.ScalarAsync<int>(
            "WITH u AS (UPDATE tickets SET status = 'valid', replaced_by = NULL, replaced_at = NULL WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM u", ticketId));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
        Assert.Equal("tickets_one_valid_per_seat", ex.ConstraintName);
        Assert.NotNull(reissued);
    }
}
