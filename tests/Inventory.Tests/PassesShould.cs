using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Passes;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Season passes: the same seat held in every event of the pass or in none, even against buyers racing for it; one
/// payment captured at a real PSP sells every event in one transaction with shares that sum to the price; an unpaid
/// purchase lapses and releases every seat, and money captured too late is refunded.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class PassesShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private PaymentHarness _payments = null!;
    private PassService _passes = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(PassesShould), maxPoolSize: 80, batching: true);
        _payments = PaymentHarness.Start(_inventory);
        _passes = new PassService(_inventory.Db, _inventory.Cache, _inventory.Sales, _payments.Gateway, new FeePlan(), new PaymentOptions(),
            _inventory.Options, _inventory.Time, "acme");
    }

    public async Task DisposeAsync()
    {
        await _payments.DisposeAsync();
        await _inventory.DisposeAsync();
    }

    private async Task<(PassView Pass, Guid[] EventIds)> SeasonAsync(int events, long priceMinor, int seats = 10)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < events; i++)
        {
            ids.Add((await _inventory.CreateEventAsync(TestEvents.Reserved(seats, name: $"Home game {i + 1}",
                startsAt: TestEvents.StartsAt.AddDays(7 * i)))).Id);
        }

        var pass = (await _passes.CreateAsync(new CreatePassCommand("Season 2030", "season", ids, priceMinor), CancellationToken.None)).ShouldSucceed();
        return (pass, [.. ids]);
    }

    private Task<Guid> SeatAsync(Guid eventId, string number) =>
        _inventory.ScalarAsync<Guid>("SELECT id FROM seats WHERE event_id = $1 AND row_label = 'A' AND number = $2", eventId, number);

    private Task<Result<PassPurchaseView>> BuyAsync(Guid passId, string customer, string number = "3") =>
        _passes.PurchaseAsync(passId, new CreatePassPurchaseCommand(customer, $"{customer}@example.com", "Floor", "A", number), CancellationToken.None);

    private async Task<PassPurchaseView> PayAsync(PassPurchaseView purchase)
    {
        var payment = (await _passes.StartPaymentAsync(purchase.Id, purchase.CustomerRef, CancellationToken.None)).ShouldSucceed();
        await _payments.PayAtThePspAsync(payment.Psp.PaymentIntentId, payment.Psp.ClientSecret);
        return (await _passes.ConfirmAsync(purchase.Id, purchase.CustomerRef, CancellationToken.None)).ShouldSucceed();
    }

    [Fact]
    public async Task SellTheSameSeatInEveryEventForOnePaymentWithSharesThatSumToWhatWasPaid()
    {
        var (pass, eventIds) = await SeasonAsync(3, 10_001);

        var purchase = (await BuyAsync(pass.Id, "ada")).ShouldSucceed();

        Assert.Equal(("held", 3), (purchase.Status, purchase.Events.Count));
        Assert.Equal(10_001, purchase.Price.Subtotal.MinorUnits);
        Assert.Equal(10_001, purchase.Events.Sum(e => e.Share.MinorUnits));
        foreach (var eventId in eventIds)
        {
            Assert.Equal(1, await _inventory.ScalarAsync<short>("SELECT status FROM seats WHERE id = $1", await SeatAsync(eventId, "3")));
        }

        // a hold of the pass is paid with the pass, never on its own
        (await _payments.Checkout.StartAsync(purchase.Events[0].HoldId, null, CancellationToken.None)).ShouldFailWith(ErrorCodes.HoldNotActive);

        var paid = await PayAsync(purchase);

        Assert.Equal("paid", paid.Status);
        Assert.All(paid.Events, e => Assert.NotNull(e.OrderId));
        var orders = new List<OrderView>();
        foreach (var e in paid.Events)
        {
            var order = (await _inventory.Orders.GetAsync(e.OrderId!.Value, CancellationToken.None)).ShouldSucceed();
            Assert.Equal((e.EventId, 1, purchase.PaymentIntentId ?? paid.PaymentIntentId), (order.EventId, order.Tickets.Count, order.PaymentReference));
            Assert.Equal(await SeatAsync(e.EventId, "3"), order.Tickets[0].SeatId);
            orders.Add(order);
        }

        Assert.Equal(paid.Price.Total.MinorUnits, orders.Sum(o => o.Total.MinorUnits));
        // the ledger: what the PSP cleared is what was paid, the reseller is owed the pass price
        Assert.Equal(paid.Price.Total.MinorUnits, await _inventory.ScalarAsync<long>("""
            SELECT sum(l.debit_minor)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
            WHERE e.order_id = ANY($1) AND e.kind = 'sale' AND l.account = 'psp_clearing'
            """, orders.Select(o => o.Id).ToArray()));
        Assert.Equal(10_001L, await _inventory.ScalarAsync<long>("""
            SELECT sum(l.credit_minor - l.debit_minor)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
            WHERE e.order_id = ANY($1) AND e.kind = 'sale' AND l.account = 'reseller_payable'
            """, orders.Select(o => o.Id).ToArray()));
        var intent = await _payments.Gateway.GetIntentAsync(paid.PaymentIntentId!, CancellationToken.None);
        Assert.Equal(paid.Price.Total.MinorUnits, intent.Amount);

        // a retry answers the same purchase and sells nothing more
        var again = (await _passes.ConfirmAsync(purchase.Id, null, CancellationToken.None)).ShouldSucceed();
        Assert.Equal(paid.Events.Select(e => e.OrderId), again.Events.Select(e => e.OrderId));
        Assert.Equal(3L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = ANY($1)", eventIds));
        (await _passes.StartPaymentAsync(purchase.Id, null, CancellationToken.None)).ShouldFailWith(ErrorCodes.PassPurchaseClosed);

        // one event's order is refunded alone: its share goes back from the pass's payment
        var refund = (await _payments.Refunds.RequestAsync(orders[1].Id, "cannot make it", "integrator:acme", null, force: true, CancellationToken.None))
            .ShouldSucceed();
        Assert.Equal(orders[1].Total.MinorUnits, refund.Amount.MinorUnits);
        Assert.Equal(orders[1].Total.MinorUnits, (await _payments.Gateway.GetIntentAsync(paid.PaymentIntentId!, CancellationToken.None)).AmountRefunded);
    }

    [Fact]
    public async Task HoldNothingWhenTheSeatIsTakenInOneEventAndNameThatEvent()
    {
        var (pass, eventIds) = await SeasonAsync(3, 9_000);
        (await _inventory.HoldSeatsAsync(eventIds[1], [await SeatAsync(eventIds[1], "3")], "single-buyer")).ShouldSucceed();

        var refused = (await BuyAsync(pass.Id, "ada")).ShouldFailWith(ErrorCodes.SeatUnavailable);

        Assert.Equal(new List<Guid> { eventIds[1] }, (List<Guid>)refused.Extensions!["event_ids"]!);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE customer_ref = 'ada'"));
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM pass_purchases"));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = ANY($1) AND status <> 0", eventIds));
        // another seat of the pass is free everywhere
        Assert.Equal(3, (await BuyAsync(pass.Id, "ada", "4")).ShouldSucceed().Events.Count);
    }

    [Fact]
    public async Task GiveTheSeatToOneBuyerAndASeasonPurchaseAllOfItsEventsOrNoneWhenBuyersRace()
    {
        var (pass, eventIds) = await SeasonAsync(4, 20_000);
        var seat = await SeatAsync(eventIds[0], "3");
        using var start = new ManualResetEventSlim();
        var season = Enumerable.Range(0, 30).Select(i => Task.Run(async () => { start.Wait(); return await BuyAsync(pass.Id, $"season-{i}"); })).ToList();
        var single = Enumerable.Range(0, 10)
            .Select(i => Task.Run(async () => { start.Wait(); return await _inventory.HoldSeatsAsync(eventIds[0], [seat], $"single-{i}"); })).ToList();
        start.Set();
        var seasonResults = await Task.WhenAll(season);
        var singleResults = await Task.WhenAll(single);

        Assert.All(seasonResults, r => Assert.True(r.Error is null or { Code: ErrorCodes.SeatUnavailable }, r.Error?.Detail));
        Assert.All(singleResults, r => Assert.True(r.Error is null or { Code: ErrorCodes.SeatUnavailable }, r.Error?.Detail));
        var winners = seasonResults.Where(r => r.Error is null).Select(r => r.Value!).ToList();
        Assert.Equal(1, winners.Count + singleResults.Count(r => r.Error is null));
        var held = await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = ANY($1) AND row_label = 'A' AND number = '3' AND status = 1", eventIds);
        if (winners is [var winner])
        {
            Assert.Equal(4L, held);
            Assert.Equal(eventIds.Order(), winner.Events.Select(e => e.EventId).Order());
            await PayAsync(winner);
            Assert.Equal(4L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = ANY($1)", eventIds));
        }
        else
        {
            Assert.Equal(1L, held);
        }

        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM (SELECT seat_id FROM tickets GROUP BY seat_id HAVING count(*) > 1) twice"));
        Assert.Equal(winners.Count, (int)await _inventory.ScalarAsync<long>("SELECT count(*) FROM pass_purchases"));
    }

    [Fact]
    public async Task ReleaseEverySeatWhenAPurchaseIsNotPaidInTimeAndRefundAPaymentThatComesTooLate()
    {
        var (pass, eventIds) = await SeasonAsync(3, 6_000);
        var purchase = (await BuyAsync(pass.Id, "ada")).ShouldSucceed();
        var payment = (await _passes.StartPaymentAsync(purchase.Id, "ada", CancellationToken.None)).ShouldSucceed();
        await _payments.PayAtThePspAsync(payment.Psp.PaymentIntentId, payment.Psp.ClientSecret);

        _inventory.Time.Advance(TimeSpan.FromSeconds(_inventory.Options.DefaultExpireSeconds + 1));

        Assert.Equal("expired", (await _passes.GetPurchaseAsync(purchase.Id, null, CancellationToken.None)).ShouldSucceed().Status);
        foreach (var eventId in eventIds)
        {
            (await _inventory.HoldSeatsAsync(eventId, [await SeatAsync(eventId, "3")], $"next-{eventId}")).ShouldSucceed();
        }

        (await _passes.ConfirmAsync(purchase.Id, "ada", CancellationToken.None)).ShouldFailWith(ErrorCodes.PassPurchaseClosed);
        var intent = await _payments.Gateway.GetIntentAsync(payment.Psp.PaymentIntentId, CancellationToken.None);
        Assert.Equal(intent.Amount, intent.AmountRefunded);
        Assert.Equal("cancelled", (await _passes.GetPurchaseAsync(purchase.Id, null, CancellationToken.None)).ShouldSucceed().Status);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = ANY($1)", eventIds));
        Assert.Equal(3L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = ANY($1) AND status = 1", eventIds));
    }

    [Fact]
    public async Task SellAPurchaseWhenThePspReportsItsPaymentAndNeverMistakeItForAHolds()
    {
        var (pass, eventIds) = await SeasonAsync(2, 8_000);
        var purchase = (await BuyAsync(pass.Id, "ada")).ShouldSucceed();
        var payment = (await _passes.StartPaymentAsync(purchase.Id, "ada", CancellationToken.None)).ShouldSucceed();
        await _payments.PayAtThePspAsync(payment.Psp.PaymentIntentId, payment.Psp.ClientSecret);
        var processor = new PspEventProcessor(_inventory.Db, _payments.Checkout, _inventory.Cache, _inventory.Time, passes: _passes);
        PspWebhook Succeeded(string id) => new(id, "payment_intent.succeeded", new System.Text.Json.Nodes.JsonObject { ["id"] = payment.Psp.PaymentIntentId });

        Assert.Equal("pass_purchase_paid", await processor.ApplyAsync(Succeeded("evt_pass_1"), CancellationToken.None));
        Assert.Equal("duplicate", await processor.ApplyAsync(Succeeded("evt_pass_1"), CancellationToken.None));
        // another delivery of the news: the purchase is paid already, nothing more is sold
        Assert.Equal("pass_purchase_paid", await processor.ApplyAsync(Succeeded("evt_pass_2"), CancellationToken.None));

        Assert.Equal("paid", (await _passes.GetPurchaseAsync(purchase.Id, null, CancellationToken.None)).ShouldSucceed().Status);
        Assert.Equal(2L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = ANY($1)", eventIds));
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM payments WHERE psp_intent_id = $1", payment.Psp.PaymentIntentId));
    }

    [Fact]
    public async Task RefuseBadPassesAndPurchases()
    {
        var ga = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10));
        var (pass, eventIds) = await SeasonAsync(2, 5_000);

        Task<Result<PassView>> Create(CreatePassCommand cmd) => _passes.CreateAsync(cmd, CancellationToken.None);
        (await Create(new CreatePassCommand("", "season", eventIds, 5_000))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "yearly", eventIds, 5_000))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "season", [eventIds[0]], 5_000))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "season", [eventIds[0], eventIds[0]], 5_000))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "season", eventIds, 0))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "season", eventIds, null))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "season", [eventIds[0], ga.Id], 5_000))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "season", [eventIds[0], Guid.NewGuid()], 5_000))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "season", eventIds, 5_000, 2))).ShouldFailWith(ErrorCodes.Validation);
        (await Create(new CreatePassCommand("P", "flex", eventIds, 5_000, 0))).ShouldFailWith(ErrorCodes.Validation);

        Task<Result<PassPurchaseView>> Buy(CreatePassPurchaseCommand cmd, Guid? passId = null) =>
            _passes.PurchaseAsync(passId ?? pass.Id, cmd, CancellationToken.None);
        (await Buy(new CreatePassPurchaseCommand(null, null, "Floor", "A", "1"))).ShouldFailWith(ErrorCodes.Validation);
        (await Buy(new CreatePassPurchaseCommand("ada", "not-an-email", "Floor", "A", "1"))).ShouldFailWith(ErrorCodes.Validation);
        (await Buy(new CreatePassPurchaseCommand("ada", null, "Floor", null, "1"))).ShouldFailWith(ErrorCodes.Validation);
        (await Buy(new CreatePassPurchaseCommand("ada", null, "Floor", "A", new string('9', 101)))).ShouldFailWith(ErrorCodes.Validation);
        (await Buy(new CreatePassPurchaseCommand("ada", null, "Floor", "Z", "1"))).ShouldFailWith(ErrorCodes.Validation);
        (await Buy(new CreatePassPurchaseCommand("ada", null, "Floor", "A", "1"), Guid.NewGuid())).ShouldFailWith(ErrorCodes.PassNotFound);
        (await _passes.GetPurchaseAsync(Guid.NewGuid(), null, CancellationToken.None)).ShouldFailWith(ErrorCodes.PassPurchaseNotFound);

        var purchase = (await Buy(new CreatePassPurchaseCommand("ada", null, "Floor", "A", "1"))).ShouldSucceed();
        (await _passes.GetPurchaseAsync(purchase.Id, "bob", CancellationToken.None)).ShouldFailWith(ErrorCodes.PassPurchaseNotFound);
        (await _passes.ConfirmAsync(purchase.Id, "ada", CancellationToken.None)).ShouldFailWith(ErrorCodes.PaymentRequired);
        var payment = (await _passes.StartPaymentAsync(purchase.Id, "ada", CancellationToken.None)).ShouldSucceed();
        (await _passes.ConfirmAsync(purchase.Id, "ada", CancellationToken.None)).ShouldFailWith(ErrorCodes.PaymentNotConfirmed);
        Assert.Equal(payment.Psp.PaymentIntentId, (await _passes.StartPaymentAsync(purchase.Id, "ada", CancellationToken.None)).ShouldSucceed().Psp.PaymentIntentId);
    }

    private async Task<PassPurchaseView> PaidFlexAsync(Guid passId, string customer)
    {
        var purchase = (await _passes.PurchaseAsync(passId, new CreatePassPurchaseCommand(customer, null, null, null, null), CancellationToken.None)).ShouldSucceed();
        Assert.Equal(("flex", "held", 0), (purchase.Kind, purchase.Status, purchase.Events.Count));
        return await PayAsync(purchase);
    }

    private Task<long> UnredeemedCreditsAsync() => _inventory.ScalarAsync<long>(
        "SELECT coalesce(sum(credit_minor - debit_minor), 0)::bigint FROM journal_lines WHERE account = 'unredeemed_credits'");

    [Fact]
    public async Task RedeemNoMoreFlexCreditsThanBoughtWhenRedemptionsRaceAndSumTheirSharesToThePrice()
    {
        var eventIds = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            eventIds.Add((await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10, name: $"Flex night {i}"))).Id);
        }

        var classes = new Dictionary<Guid, Guid>();
        foreach (var id in eventIds)
        {
            classes[id] = await _inventory.ScalarAsync<Guid>("SELECT id FROM ticket_classes WHERE event_id = $1", id);
        }

        var pass = (await _passes.CreateAsync(new CreatePassCommand("Any 3 of 5", "flex", eventIds, 9_001, 3), CancellationToken.None)).ShouldSucceed();
        var paid = await PaidFlexAsync(pass.Id, "ada");
        Assert.Equal(("paid", 3), (paid.Status, paid.CreditsLeft));
        // paying sells nothing yet
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = ANY($1)", eventIds.ToArray()));
        // the money is in the ledger from the payment on: received, owed as credits not redeemed yet
        Assert.Equal(paid.Price.Total.MinorUnits, await UnredeemedCreditsAsync());
        Assert.Equal(paid.Price.Total.MinorUnits, await _inventory.ScalarAsync<long>(
            "SELECT sum(debit_minor - credit_minor)::bigint FROM journal_lines WHERE account = 'psp_clearing'"));

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var eventId = eventIds[i % 5];
            return await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(eventId, classes[eventId], null), "ada", CancellationToken.None);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.All(results, r => Assert.True(r.Error is null or { Code: ErrorCodes.PassRedemptionRefused }, r.Error?.Detail));
        var redeemed = results.Where(r => r.Error is null).Select(r => r.Value!).ToList();
        Assert.Equal(3, redeemed.Count);
        Assert.Equal(3, redeemed.Select(r => r.EventId).Distinct().Count());
        Assert.Equal([0, 1, 2], redeemed.Select(r => r.CreditsLeft).Order());
        var after = (await _passes.GetPurchaseAsync(paid.Id, null, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((0, 3), (after.CreditsLeft, after.Redemptions!.Count));
        Assert.Equal(3L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = ANY($1)", eventIds.ToArray()));
        Assert.Equal(paid.Price.Total.MinorUnits, redeemed.Sum(r => r.Share.MinorUnits));
        // each redemption's sale draws its share on the credits, not on psp_clearing again: the credits are used up and the
        // money received is counted once
        Assert.Equal(paid.Price.Total.MinorUnits, await _inventory.ScalarAsync<long>("""
            SELECT sum(l.debit_minor)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
            WHERE e.order_id = ANY($1) AND e.kind = 'sale' AND l.account = 'unredeemed_credits'
            """, redeemed.Select(r => r.OrderId).ToArray()));
        Assert.Equal(0L, await UnredeemedCreditsAsync());
        Assert.Equal(paid.Price.Total.MinorUnits, await _inventory.ScalarAsync<long>(
            "SELECT sum(debit_minor - credit_minor)::bigint FROM journal_lines WHERE account = 'psp_clearing'"));
        (await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(eventIds[0], classes[eventIds[0]], null), null, CancellationToken.None))
            .ShouldFailWith(ErrorCodes.PassRedemptionRefused);
    }

    [Fact]
    public async Task RedeemAFlexCreditForAReservedSeatOnlyWhenTheSeatIsFreeAndRefuseWhatIsNotAValidRedemption()
    {
        var (season, seasonEvents) = await SeasonAsync(2, 4_000);
        var pass = (await _passes.CreateAsync(new CreatePassCommand("Any 1 of 2", "flex", seasonEvents, 3_000, 1), CancellationToken.None)).ShouldSucceed();
        var ga = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5));
        (await _passes.CreateAsync(new CreatePassCommand("P", "flex", seasonEvents, 3_000, 3), CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);
        (await _passes.CreateAsync(new CreatePassCommand("P", "flex", seasonEvents, 3_000), CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);

        var unpaid = (await _passes.PurchaseAsync(pass.Id, new CreatePassPurchaseCommand("bob", null, null, null, null), CancellationToken.None)).ShouldSucceed();
        var seat = await SeatAsync(seasonEvents[0], "5");
        (await _passes.RedeemAsync(unpaid.Id, new RedeemPassCommand(seasonEvents[0], null, seat), null, CancellationToken.None))
            .ShouldFailWith(ErrorCodes.PassRedemptionRefused);

        var paid = await PaidFlexAsync(pass.Id, "ada");
        (await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(seasonEvents[0], null, seat), "bob", CancellationToken.None))
            .ShouldFailWith(ErrorCodes.PassPurchaseNotFound);
        (await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(ga.Id, ga.TicketClasses[0].Id, null), null, CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);
        (await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(seasonEvents[0], Guid.NewGuid(), null), null, CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);
        (await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(null, null, seat), null, CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);

        // the seat is someone else's: refused, the credit kept
        (await _inventory.HoldSeatsAsync(seasonEvents[0], [seat], "carol")).ShouldSucceed();
        (await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(seasonEvents[0], null, seat), null, CancellationToken.None))
            .ShouldFailWith(ErrorCodes.SeatUnavailable);
        var redeemed = (await _passes.RedeemAsync(paid.Id, new RedeemPassCommand(seasonEvents[0], null, await SeatAsync(seasonEvents[0], "6")), "ada",
            CancellationToken.None)).ShouldSucceed();

        Assert.Equal((0, paid.Price.Total.MinorUnits), (redeemed.CreditsLeft, redeemed.Share.MinorUnits));
        var order = (await _inventory.Orders.GetAsync(redeemed.OrderId, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((await SeatAsync(seasonEvents[0], "6"), "ada", paid.PaymentIntentId), (order.Tickets[0].SeatId, order.CustomerRef, order.PaymentReference));
        // a season purchase has no credits
        var seasonPurchase = await PayAsync((await BuyAsync(season.Id, "dan", "7")).ShouldSucceed());
        (await _passes.RedeemAsync(seasonPurchase.Id, new RedeemPassCommand(seasonEvents[1], null, seat), null, CancellationToken.None))
            .ShouldFailWith(ErrorCodes.PassRedemptionRefused);
    }

    [Theory]
    [InlineData(10_001, 0, 0, 0, 3)]
    [InlineData(5, 7, 3, 2, 2)]
    [InlineData(52, 52, 0, 1, 52)]
    public void AllocateThePriceSoTheSharesSumToIt(long subtotal, long platform, long processing, long tax, int events)
    {
        var price = new PriceBreakdown(subtotal, platform, processing, tax, subtotal + platform + processing + tax, "EUR");

        var shares = PassService.Allocate(price, events);

        Assert.Equal(events, shares.Count);
        Assert.Equal(price.TotalMinor, shares.Sum(s => s.TotalMinor));
        Assert.Equal(price.SubtotalMinor, shares.Sum(s => s.SubtotalMinor));
        Assert.Equal(price.TaxMinor, shares.Sum(s => s.TaxMinor));
        Assert.All(shares, s => Assert.True(s.IsConsistent));
    }
}
