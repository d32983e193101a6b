using System.Net.Http.Json;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Resale;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Inventory.Tickets;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// The resale marketplace against a real Postgres and the cell's payment service in-process: listing under the cap,
/// buying through hold, payment and confirm, the seller's code dying, the ledger, and buyers racing for one listing.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class ResaleServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly ResaleTerms Face = new(true, 100);
    private static readonly ResaleTerms PlusTwenty = new(true, 120);
    private InventoryHarness _inventory = null!;
    private PaymentHarness _payments = null!;
    private ResaleService _resale = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(ResaleServiceShould));
        _payments = PaymentHarness.Start(_inventory);
        _resale = new ResaleService(_inventory.Db, _inventory.Time, _inventory.Options);
    }

    public async Task DisposeAsync()
    {
        await _payments.DisposeAsync();
        await _inventory.DisposeAsync();
    }

    /// <summary>Alice's paid ticket (face value 30.00) of a new general-admission event.</summary>
    private async Task<(Guid EventId, OrderView Order, Guid TicketId)> AlicesTicketAsync()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5));
        var order = await _payments.PaidOrderAsync(ev.Id, ev.TicketClasses[0].Id, "alice");
        return (ev.Id, order, Assert.Single(order.Tickets).Id);
    }

    private Task<Result<ListingView>> ListAsync(Guid ticketId, long asking, ResaleTerms terms, string? owner = "alice") =>
        _resale.ListAsync(new ListTicketCommand(ticketId, asking), owner, terms, CancellationToken.None);

    private async Task<Result<OrderView>> PayAndConfirmAsync(Guid holdId)
    {
        await PayAtThePspAsync((await _payments.Checkout.StartAsync(holdId, null, CancellationToken.None)).ShouldSucceed());
        return await _payments.Checkout.ConfirmAsync(holdId, null, CancellationToken.None);
    }

    private async Task PayAtThePspAsync(Payments.PaymentView payment)
    {
        using var confirmed = await _payments.Platform.PostAsJsonAsync($"/v1/payment_intents/{payment.Psp.PaymentIntentId}/confirm",
            new { client_secret = payment.Psp.ClientSecret, card_number = "4242424242424242" });
        confirmed.EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData(100, 3000, 3001)]
    [InlineData(120, 3600, 3601)]
    public async Task AcceptAnAskingPriceAtTheCapAndRefuseOneAbove(int cap, long atCap, long above)
    {
        var (_, _, ticketId) = await AlicesTicketAsync();
        var terms = new ResaleTerms(true, cap);

        var refused = (await ListAsync(ticketId, above, terms)).ShouldFailWith(ErrorCodes.ResalePriceAboveCap);
        var listing = (await ListAsync(ticketId, atCap, terms)).ShouldSucceed();

        Assert.Equal(atCap, refused.Extensions!["max_price_minor"]);
        Assert.Equal((atCap, cap, "listed", true), (listing.AskingPrice.MinorUnits, listing.CapPercent, listing.Status, listing.Available));
    }

    [Fact]
    public async Task RefuseResaleWhereTheJurisdictionOrTheOrganizerForbidsIt()
    {
        var (eventId, _, ticketId) = await AlicesTicketAsync();

        (await ListAsync(ticketId, 3000, new ResaleTerms(false, 100))).ShouldFailWith(ErrorCodes.ResaleNotAllowed);
        (await _inventory.Catalog.SetTicketPolicyAsync(eventId, new TicketPolicyCommand(false, null), CancellationToken.None)).ShouldSucceed();
        (await ListAsync(ticketId, 3000, Face)).ShouldFailWith(ErrorCodes.ResaleNotAllowed);
        (await ListAsync(ticketId, 3000, Face, owner: "mallory")).ShouldFailWith(ErrorCodes.TicketNotFound);
    }

    [Fact]
    public async Task SellThroughHoldPaymentAndConfirmMovingTheTicketWithANewCode()
    {
        var (_, order, ticketId) = await AlicesTicketAsync();
        var oldCode = order.Tickets[0].Code;
        var listing = (await ListAsync(ticketId, 3600, PlusTwenty)).ShouldSucceed();

        var hold = (await _resale.HoldAsync(new BuyListingCommand(listing.Id, "bob", "bob@example.com"), PlusTwenty, CancellationToken.None)).ShouldSucceed();
        var bought = (await PayAndConfirmAsync(hold.Id)).ShouldSucceed();

        var tickets = new TicketQueries(_inventory.Db);
        var bobs = Assert.Single(bought.Tickets);
        Assert.Equal(("valid", "bob", 3600L), (bobs.Status, bought.CustomerRef, bobs.Price.MinorUnits));
        Assert.NotEqual(oldCode, bobs.Code);
        var alices = (await tickets.GetAsync(ticketId, "alice", CancellationToken.None)).ShouldSucceed();
        Assert.Equal(("resold", (string?)null, (Guid?)bobs.Id), (alices.Status, alices.Code, alices.ReplacedBy));
        Assert.Equal("sold", (await _resale.GetAsync(listing.Id, "alice", CancellationToken.None)).ShouldSucceed().Status);
        // the money: the buyer paid the asking price with the fees; the seller is owed it less 10 % commission
        Assert.Equal(3600L, bought.Price!.Subtotal.MinorUnits);
        Assert.Equal(3240L, await _inventory.ScalarAsync<long>("SELECT sum(credit_minor)::bigint FROM journal_lines WHERE account = 'seller_payable'"));
        Assert.Equal(bought.Price.PlatformFee.MinorUnits + 360, await _inventory.ScalarAsync<long>(
            "SELECT sum(l.credit_minor)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.kind = 'resale' AND l.account = 'platform_fees'"));
        Assert.Equal(0L, await LedgerDb.UnbalancedEntriesAsync(_inventory));
        // neither side can undo it with a refund: the buyer's purchase is final and the seller's order no longer holds the ticket
        (await _payments.Refunds.RequestAsync(bought.Id, null, "bob", "bob", force: false, CancellationToken.None)).ShouldFailWith(ErrorCodes.RefundNotAllowed);
        (await _payments.Refunds.RequestAsync(order.Id, null, "alice", "alice", force: true, CancellationToken.None)).ShouldFailWith(ErrorCodes.RefundNotAllowed);
        // and bob may sell it on
        (await ListAsync(bobs.Id, 3000, Face, owner: "bob")).ShouldSucceed();
    }

    [Fact]
    public async Task RefundEveryBuyerOfACancelledEventWithResoldAndTransferredTicketsAndReverseTheSellersPayout()
    {
        var (eventId, alicesOrder, alicesTicket) = await AlicesTicketAsync();
        var classId = await _inventory.ScalarAsync<Guid>("SELECT class_id FROM tickets WHERE id = $1", alicesTicket);
        // alice resells hers to bob at +20 %; carol sends hers to dave
        var listing = (await ListAsync(alicesTicket, 3600, PlusTwenty)).ShouldSucceed();
        var bobsOrder = (await PayAndConfirmAsync((await _resale.HoldAsync(new BuyListingCommand(listing.Id, "bob"), PlusTwenty, CancellationToken.None)).ShouldSucceed().Id)).ShouldSucceed();
        var carolsOrder = await _payments.PaidOrderAsync(eventId, classId, "carol");
        var transfers = new Transfers.TransferService(_inventory.Db, _inventory.Time);
        var sent = (await transfers.StartAsync(new Transfers.StartTransferCommand(carolsOrder.Tickets[0].Id, "dave@example.com", null), "carol", true, CancellationToken.None)).ShouldSucceed();
        (await transfers.ClaimAsync(sent.ClaimToken, "dave", true, CancellationToken.None)).ShouldSucceed();

        var cancelled = (await new Payments.EventCancellation(_inventory.Db, _inventory.Cache, _inventory.Time)
            .CancelAsync(eventId, "integrator:acme-backend", "venue flooded", CancellationToken.None)).ShouldSucceed();
        for (var pass = 0; pass < 3; pass++)
        {
            await _payments.Refunds.ProcessPendingAsync(10, CancellationToken.None);
        }

        // every paid order gets its money back from the PSP: alice's and carol's primary orders, bob's resale purchase
        Assert.Equal(3, cancelled.RefundsRequested);
        foreach (var order in new[] { alicesOrder.Id, bobsOrder.Id, carolsOrder.Id })
        {
            Assert.Equal("succeeded", await _inventory.ScalarAsync<string>("SELECT status FROM refunds WHERE order_id = $1", order));
        }

        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = $1 AND status = 'valid'", eventId));
        Assert.Equal(0L, await LedgerDb.UnbalancedEntriesAsync(_inventory));
        // the seller is owed nothing any more; the reseller's ticket money is gone, less the processing fees it bears on
        // its own sales' refunds; the platform gave back its fees and the commission and bears the resale's processing fee
        long Balance(string account) => _inventory.ScalarAsync<long>(
            "SELECT coalesce(sum(credit_minor - debit_minor), 0)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.event_id = $1 AND l.account = $2",
            eventId, account).GetAwaiter().GetResult();
        Assert.Equal(0L, Balance("seller_payable"));
        Assert.Equal(-(alicesOrder.Price!.ProcessingFee.MinorUnits + carolsOrder.Price!.ProcessingFee.MinorUnits), Balance("reseller_payable"));
        Assert.Equal(-bobsOrder.Price!.ProcessingFee.MinorUnits, Balance("platform_fees"));
        Assert.Equal(0L, Balance("tax_payable"));
    }

    [Fact]
    public async Task LetOneOfTwentyRacingBuyersHoldAListingAndSellItOnce()
    {
        var (_, _, ticketId) = await AlicesTicketAsync();
        var listing = (await ListAsync(ticketId, 3000, Face)).ShouldSucceed();

        var holds = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            _resale.HoldAsync(new BuyListingCommand(listing.Id, $"buyer-{i}"), Face, CancellationToken.None))));

        var won = Assert.Single(holds, h => h.IsSuccess);
        Assert.All(holds.Where(h => !h.IsSuccess), h => Assert.Equal(ErrorCodes.ListingUnavailable, h.Error!.Code));
        (await PayAndConfirmAsync(won.Value!.Id)).ShouldSucceed();
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE seat_id = $1 AND status = 'valid'", won.Value.Seats[0].SeatId));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM orders WHERE listing_id = $1", listing.Id));
    }

    [Fact]
    public async Task RefundABuyerWhoseHoldLapsedAndLostTheListingToAnother()
    {
        var (_, _, ticketId) = await AlicesTicketAsync();
        var listing = (await ListAsync(ticketId, 3000, Face)).ShouldSucceed();
        var slow = (await _resale.HoldAsync(new BuyListingCommand(listing.Id, "slow", null, 60), Face, CancellationToken.None)).ShouldSucceed();
        var payment = (await _payments.Checkout.StartAsync(slow.Id, null, CancellationToken.None)).ShouldSucceed();

        _inventory.Time.Advance(TimeSpan.FromSeconds(61));
        var fast = (await _resale.HoldAsync(new BuyListingCommand(listing.Id, "fast"), Face, CancellationToken.None)).ShouldSucceed();
        (await PayAndConfirmAsync(fast.Id)).ShouldSucceed();

        // the slow buyer pays after all: no ticket can be issued for it, so the money goes back at once
        await PayAtThePspAsync(payment);
        (await _payments.Checkout.ConfirmAsync(slow.Id, null, CancellationToken.None)).ShouldFailWith(ErrorCodes.HoldExpired);
        Assert.Equal("refunded", await _inventory.ScalarAsync<string>("SELECT status FROM payments WHERE hold_id = $1", slow.Id));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM orders WHERE listing_id = $1", listing.Id));
    }

    [Fact]
    public async Task ApplyARuleChangedAfterListingWhenBuying()
    {
        var (_, _, ticketId) = await AlicesTicketAsync();
        var listing = (await ListAsync(ticketId, 3600, PlusTwenty)).ShouldSucceed();

        (await _resale.HoldAsync(new BuyListingCommand(listing.Id, "bob"), Face, CancellationToken.None)).ShouldFailWith(ErrorCodes.ResalePriceAboveCap);
        (await _resale.HoldAsync(new BuyListingCommand(listing.Id, "bob"), new ResaleTerms(false, 120), CancellationToken.None)).ShouldFailWith(ErrorCodes.ResaleNotAllowed);
        (await _resale.HoldAsync(new BuyListingCommand(listing.Id, "alice"), PlusTwenty, CancellationToken.None)).ShouldFailWith(ErrorCodes.ListingUnavailable);
    }
}
