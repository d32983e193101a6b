using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Resale;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Inventory.Transfers;

namespace TicketAspire.Inventory.Tests;

/// <summary>Transfers by e-mail on a real Postgres: a hashed, single-use claim token valid for 7 days, the same code rotation.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class TransferServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private TransferService _transfers = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(TransferServiceShould));
        _transfers = new TransferService(_inventory.Db, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private async Task<(Guid EventId, Guid TicketId, string Code)> AlicesTicketAsync()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5));
        var hold = (await _inventory.HoldTicketsAsync(ev.Id, ev.TicketClasses[0].Id, 1, "alice")).ShouldSucceed();
        var ticket = Assert.Single((await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed().Tickets);
        return (ev.Id, ticket.Id, ticket.Code);
    }

    private Task<Result<StartedTransfer>> SendAsync(Guid ticketId, bool allowed = true, string? owner = "alice") =>
        _transfers.StartAsync(new StartTransferCommand(ticketId, "bob@example.com", "enjoy"), owner, allowed, CancellationToken.None);

    [Fact]
    public async Task MoveTheTicketToWhoeverClaimsItWithANewCodeOnce()
    {
        var (_, ticketId, oldCode) = await AlicesTicketAsync();
        var started = (await SendAsync(ticketId)).ShouldSucceed();

        var bobs = (await _transfers.ClaimAsync(started.ClaimToken, "user:bob", true, CancellationToken.None)).ShouldSucceed();

        Assert.Equal(("valid", "transfer", "user:bob"), (bobs.Status, bobs.Origin, bobs.OwnerRef));
        Assert.NotEqual(oldCode, bobs.Code);
        Assert.Equal("transferred", await _inventory.ScalarAsync<string>("SELECT status FROM tickets WHERE id = $1", ticketId));
        (await _transfers.ClaimAsync(started.ClaimToken, "user:carol", true, CancellationToken.None)).ShouldFailWith(ErrorCodes.TransferNotFound);
        Assert.Equal("accepted", (await _transfers.GetAsync(started.Transfer.Id, "alice", CancellationToken.None)).ShouldSucceed().Status);
    }

    [Fact]
    public async Task KeepOnlyTheHashOfTheClaimToken()
    {
        var (_, ticketId, _) = await AlicesTicketAsync();
        var started = (await SendAsync(ticketId)).ShouldSucceed();

        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM ticket_transfers WHERE position($1 in row(ticket_transfers.*)::text) > 0", started.ClaimToken));
        Assert.Equal(TransferService.Hash(started.ClaimToken), await _inventory.ScalarAsync<byte[]>("SELECT token_hash FROM ticket_transfers WHERE id = $1", started.Transfer.Id));
        // the e-mail carries it: the outbox row's private part, which the dispatcher gives the mail job alone
        Assert.Equal(started.ClaimToken, await _inventory.ScalarAsync<string>(
            "SELECT payload->'private'->>'claim_token' FROM outbox WHERE topic = 'ticket.transfer_offered' AND aggregate_id = $1", started.Transfer.Id));
    }

    [Fact]
    public async Task ExpireAClaimTokenAfterSevenDays()
    {
        var (_, ticketId, _) = await AlicesTicketAsync();
        var started = (await SendAsync(ticketId)).ShouldSucceed();

        _inventory.Time.Advance(TransferService.ClaimWindow + TimeSpan.FromSeconds(1));

        (await _transfers.ClaimAsync(started.ClaimToken, "user:bob", true, CancellationToken.None)).ShouldFailWith(ErrorCodes.TransferExpired);
        Assert.Equal("expired", (await _transfers.GetAsync(started.Transfer.Id, null, CancellationToken.None)).ShouldSucceed().Status);
        // the ticket is free to go again
        (await SendAsync(ticketId)).ShouldSucceed();
    }

    [Fact]
    public async Task RefuseWhereTheJurisdictionOrTheOrganizerForbidsOrTheTicketIsListed()
    {
        var (eventId, ticketId, _) = await AlicesTicketAsync();

        (await SendAsync(ticketId, allowed: false)).ShouldFailWith(ErrorCodes.TransferNotAllowed);
        (await SendAsync(ticketId, owner: "mallory")).ShouldFailWith(ErrorCodes.TicketNotFound);
        (await new ResaleService(_inventory.Db, _inventory.Time, _inventory.Options).ListAsync(new ListTicketCommand(ticketId, 3000), "alice",
            new ResaleTerms(true, 100), CancellationToken.None)).ShouldSucceed();
        (await SendAsync(ticketId)).ShouldFailWith(ErrorCodes.TicketLocked);
        (await _inventory.Catalog.SetTicketPolicyAsync(eventId, new TicketPolicyCommand(null, false), CancellationToken.None)).ShouldSucceed();
        (await SendAsync(ticketId)).ShouldFailWith(ErrorCodes.TransferNotAllowed);
    }

    [Fact]
    public async Task LetOneOfTenRacingClaimsWin()
    {
        var (_, ticketId, _) = await AlicesTicketAsync();
        var started = (await SendAsync(ticketId)).ShouldSucceed();

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            _transfers.ClaimAsync(started.ClaimToken, $"user:claimer-{i}", true, CancellationToken.None))));

        Assert.Single(claims, c => c.IsSuccess);
        Assert.Equal(1L, await _inventory.ScalarAsync<long>(
            "SELECT count(*) FROM tickets WHERE seat_id = (SELECT seat_id FROM tickets WHERE id = $1) AND status = 'valid'", ticketId));
    }
}
