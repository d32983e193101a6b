using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Seeded random sequences of sales, fraud reserves, refunds, chargebacks (each at most once per order, refund and
/// chargeback exclusive), payouts, resales (commission and the seller's payout) and repeated postings: after each run every entry balances, the statement's balances are
/// the sums of the lines, every grouping of the sales report adds up to the statement, and the reseller's balances equal
/// those computed independently from the operations. A failure names its seed; rerun that seed to reproduce it.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class LedgerPropertyShould(PostgresServer postgres) : IAsyncLifetime
{
    private const int Operations = 300;
    private const string Eur = InventoryHarness.Currency;
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(LedgerPropertyShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(20_261_201)]
    public async Task KeepEveryJournalBalancedAndTheReportsEqualToTheLedger(int seed)
    {
        try
        {
            await RunAsync(seed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"Ledger property failed for seed {seed}: {ex.Message}\n{ex.StackTrace}");
        }
    }

    private async Task RunAsync(int seed)
    {
        var random = new Random(seed);
        var plan = new FeePlan { TaxRatePercent = new[] { 0m, 7.25m, 20m }[random.Next(3)], ChargebackFeeMinor = random.Next(0, 2_000), ResaleCommissionBps = random.Next(0, 2_001) };
        var events = new List<EventDetail>();
        for (var i = 0; i < 3; i++)
        {
            events.Add(await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10, name: $"Property {seed} {i}") with
            {
                StartsAt = TestEvents.StartsAt.AddDays(i),
                TicketClasses = [new("GA", 3_000, 100), new("VIP", 9_000, 20), new("Guest", 0, 10)],
            }));
        }

        var model = new Model();
        var orders = new List<OrderModel>();
        var resales = new List<ResaleModel>();
        var posted = new List<JournalEntry>();
        var at = new DateTimeOffset(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);
        var reports = new LedgerReports(_inventory.Db);
        DateTimeOffset? cut = null;
        LedgerStatement? atCut = null;
        for (var op = 0; op < Operations; op++)
        {
            at = at.AddMinutes(random.Next(1, 240));
            if (op == Operations / 2)
            {
                // the statement of the first half must not change when the second half is posted
                cut = at;
                atCut = await reports.StatementAsync(Eur, null, cut, CancellationToken.None);
            }

            var open = orders.Where(o => !o.Closed).ToList();
            var roll = random.Next(100);
            JournalEntry? entry = null;
            if (roll < 40 || open.Count == 0)
            {
                var ev = events[random.Next(events.Count)];
                var classes = ev.TicketClasses.Where(_ => random.Next(2) == 0).Select(c =>
                {
                    var quantity = random.Next(1, 6);
                    var unit = c.Price.MinorUnits == 0 ? 0 : random.Next(1, 20_000);   // prices vary with time and discounts
                    return new ClassAmount(c.Id, quantity, (long)unit * quantity);
                }).ToList();
                var price = FeeCalculator.Quote(plan, classes.Sum(c => c.SubtotalMinor), classes.Sum(c => c.Quantity), Eur);
                if (classes.Count == 0 || price.TotalMinor == 0)
                {
                    continue;   // a free order moves no money
                }

                // a third of the sales redeemed a voucher: the classes' prices are after its discount, which the entry shows on its own lines
                var discount = random.Next(3) == 0
                    ? new VoucherDiscount(Guid.NewGuid(), [.. classes.Where(_ => random.Next(2) == 0).Select(c => c with { SubtotalMinor = random.Next(0, 5_000) })])
                    : null;
                var order = new OrderModel(Guid.NewGuid(), ev.Id, classes, price);
                entry = Postings.Sale(order.Id, ev.Id, classes, price, at, discount);
                orders.Add(order);
                model.Sale(order, discount?.Classes.Sum(c => c.SubtotalMinor) ?? 0);
            }
            else if (roll < 50)
            {
                var order = open[random.Next(open.Count)];
                if (order.Reserved || order.Price.SubtotalMinor == 0)
                {
                    continue;
                }

                entry = Postings.FraudReserve($"psp-review-{order.Id:N}", order.Id, order.EventId, order.Price.SubtotalMinor, Eur, at);
                model.FraudReserve(order);
            }
            else if (roll < 65)
            {
                var order = open[random.Next(open.Count)];
                entry = Postings.Refund(Guid.NewGuid(), order.Id, order.EventId, order.Classes, order.Price, order.Reserved, at);
                model.Refund(order);
            }
            else if (roll < 75)
            {
                var order = open[random.Next(open.Count)];
                entry = Postings.Chargeback($"psp-dispute-{order.Id:N}", order.Id, order.EventId, order.Classes, order.Price, plan.ChargebackFeeMinor, order.Reserved, at);
                model.Chargeback(order, plan.ChargebackFeeMinor);
            }
            else if (roll < 88)
            {
                var payable = model.PayableByEvent.Where(p => p.Value > 0).ToList();
                if (payable.Count == 0)
                {
                    continue;
                }

                var (eventId, balance) = payable[random.Next(payable.Count)];
                var amount = random.Next(2) == 0 ? balance : random.NextInt64(1, balance + 1);
                entry = Postings.Payout(Guid.NewGuid(), eventId, amount, Eur, at);
                model.Payout(eventId, amount);
            }
            else if (roll < 94 && resales.Any(r => !r.Closed) && random.Next(2) == 0)
            {
                // a resale purchase undone (its event cancelled, or disputed): the seller's share and the platform's part go back
                var openResales = resales.Where(r => !r.Closed).ToList();
                var resale = openResales[random.Next(openResales.Count)];
                var fee = random.Next(2) == 0 ? plan.ChargebackFeeMinor : 0L;
                entry = fee > 0 || random.Next(2) == 0
                    ? Postings.Chargeback($"psp-dispute-{resale.OrderId:N}", resale.OrderId, resale.EventId, [new ClassAmount(resale.ClassId, 1, resale.Price.SubtotalMinor)],
                        resale.Price, fee, fromReserve: false, at, resaleSellerShare: resale.Price.SubtotalMinor - resale.Commission)
                    : Postings.Refund(Guid.NewGuid(), resale.OrderId, resale.EventId, [new ClassAmount(resale.ClassId, 1, resale.Price.SubtotalMinor)],
                        resale.Price, fromReserve: false, at, resaleSellerShare: resale.Price.SubtotalMinor - resale.Commission);
                Assert.Equal(0L, entry.Lines.Where(l => l.Account is LedgerAccount.ResellerPayable or LedgerAccount.ResellerReserve).Sum(l => l.DebitMinor + l.CreditMinor));
                model.ResaleReversal(resale.Price, resale.Commission, entry.Kind == JournalKinds.Chargeback ? fee : 0);
                resale.Closed = true;
            }
            else if (roll < 94)
            {
                // a ticket resold at an asking price: the buyer pays it with the platform's fees; the seller is owed it less the commission
                var ev = events[random.Next(events.Count)];
                var ticketClass = ev.TicketClasses[random.Next(ev.TicketClasses.Count)];
                var asking = random.NextInt64(1, 30_000);
                var price = FeeCalculator.Quote(plan, asking, 1, Eur);
                var commission = FeeCalculator.ResaleCommission(plan, asking);
                Assert.Equal(((asking * plan.ResaleCommissionBps) + 5_000) / 10_000, commission);
                var resaleOrder = Guid.NewGuid();
                entry = Postings.Resale(resaleOrder, ev.Id, ticketClass.Id, price, commission, at);
                resales.Add(new ResaleModel(resaleOrder, ev.Id, ticketClass.Id, price, commission));
                Assert.Equal(asking - commission, entry.Lines.Where(l => l.Account == LedgerAccount.SellerPayable).Sum(l => l.CreditMinor));
                model.Resale(price, commission);
            }
            else if (posted.Count > 0)
            {
                // the same business fact again (a retried webhook, a second worker): nothing is written
                var again = posted[random.Next(posted.Count)];
                Assert.False(await LedgerDb.PostAsync(_inventory.Db, again with { Id = Guid.NewGuid(), OccurredAt = at }), $"{again.Kind} {again.SourceId} posted twice");
                continue;
            }

            if (entry is not null)
            {
                Assert.True(await LedgerDb.PostAsync(_inventory.Db, entry), $"{entry.Kind} {entry.SourceId} not posted");
                posted.Add(entry);
            }
        }

        // the run exercised every kind of entry (a flex pass's credits and the sales drawn on them: PassesShould)
        Assert.All(JournalKinds.All.Where(k => k != JournalKinds.PassCredits), kind => Assert.True(posted.Count(e => e.Kind == kind) >= 5, $"only {posted.Count(e => e.Kind == kind)} {kind} entries"));
        Assert.True(resales.Count(r => r.Closed) >= 2, $"only {resales.Count(r => r.Closed)} resales undone");
        await AssertLedgerAsync(reports, model, cut!.Value, atCut!);
    }

    private async Task AssertLedgerAsync(LedgerReports reports, Model model, DateTimeOffset cut, LedgerStatement atCut)
    {
        var ct = CancellationToken.None;
        Assert.Equal(0L, await LedgerDb.UnbalancedEntriesAsync(_inventory));

        var statement = await reports.StatementAsync(Eur, null, null, ct);
        Assert.True(statement.Balanced);
        foreach (var balance in statement.Balances)
        {
            var name = LedgerAccounts.Name(balance.Account);
            Assert.Equal(await _inventory.ScalarAsync<long>("SELECT coalesce(sum(debit_minor), 0)::bigint FROM journal_lines WHERE account = $1", name), balance.Debits);
            Assert.Equal(await _inventory.ScalarAsync<long>("SELECT coalesce(sum(credit_minor), 0)::bigint FROM journal_lines WHERE account = $1", name), balance.Credits);
        }

        // the operations, computed independently of the ledger
        Assert.Equal(
            (model.Payable, model.Reserve, model.Psp, model.Platform, model.Processing, model.Tax),
            (statement.NetPayable, statement.Reserved, Balance(statement, LedgerAccount.PspClearing), Balance(statement, LedgerAccount.PlatformFees),
             Balance(statement, LedgerAccount.ProcessingFeesPayable), Balance(statement, LedgerAccount.TaxPayable)));
        Assert.Equal(
            (model.Tickets, model.Gross, model.Refunds, model.Chargebacks, model.ChargebackFees, model.FraudReserved, model.Payouts),
            (statement.TicketsSold, statement.GrossSales, statement.Refunds, statement.Chargebacks, statement.ChargebackFees, statement.FraudReserved, statement.Payouts));
        Assert.Equal((model.Platform, model.Processing, model.Tax), (statement.PlatformFees, statement.ProcessingFees, statement.Tax));
        Assert.Equal((model.Discounts, model.Gross - model.Discounts - model.Refunds - model.Chargebacks), (statement.Discounts, statement.Net));
        // the seller is owed what the resales left them; the platform earned the commissions on top of the buyers' fees
        Assert.Equal(model.SellerPayable, Balance(statement, LedgerAccount.SellerPayable));
        Assert.Equal(model.Commission + model.ResalePlatformFees, await _inventory.ScalarAsync<long>(
            "SELECT coalesce(sum(l.credit_minor), 0)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.kind = 'resale' AND l.account = 'platform_fees'"));

        // every grouping of the sales report adds up to the statement, for the whole ledger and for a period
        foreach (var (from, to, expected) in new[] { ((DateTimeOffset?)null, (DateTimeOffset?)null, statement), (null, cut, atCut),
                     (cut, null, await reports.StatementAsync(Eur, cut, null, ct)) })
        {
            foreach (var grouping in Enum.GetValues<SalesGrouping>())
            {
                var rows = await reports.SalesAsync(Eur, from, to, grouping, ct);
                Assert.Equal(
                    (expected.TicketsSold, expected.GrossSales, expected.PlatformFees, expected.ProcessingFees, expected.Tax, expected.Refunds, expected.Chargebacks, expected.Net),
                    (rows.Sum(r => r.TicketsSold), rows.Sum(r => r.GrossSales), rows.Sum(r => r.PlatformFees), rows.Sum(r => r.ProcessingFees),
                     rows.Sum(r => r.Tax), rows.Sum(r => r.Refunds), rows.Sum(r => r.Chargebacks), rows.Sum(r => r.Net)));
                Assert.Equal(expected.Discounts, rows.Sum(r => r.Discounts));
                Assert.Equal(rows.Count, rows.Select(r => r.Key).Distinct().Count());
            }
        }

        // the statement as of the cut is the same now that later entries exist
        Assert.Equal(atCut.Balances, (await reports.StatementAsync(Eur, null, cut, ct)).Balances);

        // per event: what the forecast will pay out is what the operations left payable
        var forecast = await reports.PayoutForecastAsync(new FeePlan(), Eur, DateTimeOffset.UnixEpoch, ct);
        Assert.Equal(
            model.PayableByEvent.Where(p => p.Value != 0).OrderBy(p => p.Key).Select(p => (p.Key, p.Value)),
            forecast.Upcoming.OrderBy(u => u.EventId).Select(u => (u.EventId, u.AmountMinor)));
        Assert.Equal(model.Payouts, forecast.Paid.Sum(p => p.AmountMinor));
    }

    private static long Balance(LedgerStatement statement, LedgerAccount account) => statement.Balances.Single(b => b.Account == account).Balance;

    private sealed record OrderModel(Guid Id, Guid EventId, IReadOnlyList<ClassAmount> Classes, PriceBreakdown Price)
    {
        public bool Reserved { get; set; }

        public bool Closed { get; set; }

        public int Tickets => Classes.Where(c => c.SubtotalMinor > 0).Sum(c => c.Quantity);
    }

    /// <summary>What the ledger should say, kept by plain arithmetic on the operations.</summary>
    private sealed class Model
    {
        public Dictionary<Guid, long> PayableByEvent { get; } = [];

        public long Payable => PayableByEvent.Values.Sum();

        public long Reserve { get; private set; }

        public long Psp { get; private set; }

        public long Platform { get; private set; }

        public long Processing { get; private set; }

        public long Tax { get; private set; }

        public long Tickets { get; private set; }

        public long Gross { get; private set; }

        public long Refunds { get; private set; }

        public long Chargebacks { get; private set; }

        public long ChargebackFees { get; private set; }

        public long FraudReserved { get; private set; }

        public long Payouts { get; private set; }

        public long SellerPayable { get; private set; }

        public long Commission { get; private set; }

        public long ResalePlatformFees { get; private set; }

        public void Resale(PriceBreakdown price, long commission)
        {
            (Psp, Platform, Processing, Tax) = (Psp + price.TotalMinor, Platform + price.PlatformFeeMinor + commission, Processing + price.ProcessingFeeMinor, Tax + price.TaxMinor);
            (SellerPayable, Commission, ResalePlatformFees) = (SellerPayable + price.SubtotalMinor - commission, Commission + commission, ResalePlatformFees + price.PlatformFeeMinor);
        }

        public void ResaleReversal(PriceBreakdown price, long commission, long chargebackFee)
        {
            SellerPayable -= price.SubtotalMinor - commission;
            (Psp, Tax) = (Psp - price.TotalMinor, Tax - price.TaxMinor);
            (Platform, Processing) = (Platform - commission - price.PlatformFeeMinor - price.ProcessingFeeMinor - chargebackFee, Processing + chargebackFee);
        }

        public long Discounts { get; private set; }

        public void Sale(OrderModel o, long discount)
        {
            AddPayable(o.EventId, o.Price.SubtotalMinor);
            (Psp, Platform, Processing, Tax) = (Psp + o.Price.TotalMinor, Platform + o.Price.PlatformFeeMinor, Processing + o.Price.ProcessingFeeMinor, Tax + o.Price.TaxMinor);
            (Tickets, Gross, Discounts) = (Tickets + o.Tickets, Gross + o.Price.SubtotalMinor + discount, Discounts + discount);
        }

        public void FraudReserve(OrderModel o)
        {
            AddPayable(o.EventId, -o.Price.SubtotalMinor);
            (Reserve, FraudReserved, o.Reserved) = (Reserve + o.Price.SubtotalMinor, FraudReserved + o.Price.SubtotalMinor, true);
        }

        public void Refund(OrderModel o) => Refunds += Reverse(o);

        public void Chargeback(OrderModel o, long fee)
        {
            AddPayable(o.EventId, -fee);
            (Processing, ChargebackFees, Chargebacks) = (Processing + fee, ChargebackFees + fee, Chargebacks + Reverse(o) + fee);
        }

        public void Payout(Guid eventId, long amount)
        {
            AddPayable(eventId, -amount);
            (Psp, Payouts) = (Psp - amount, Payouts + amount);
        }

        /// <summary>Returns the tickets and the unreturned processing fee to the buyer's side; returns what the reseller bore.</summary>
        private long Reverse(OrderModel o)
        {
            if (o.Reserved)
            {
                Reserve -= o.Price.SubtotalMinor;
            }
            else
            {
                AddPayable(o.EventId, -o.Price.SubtotalMinor);
            }

            AddPayable(o.EventId, -o.Price.ProcessingFeeMinor);
            (Psp, Platform, Tax, Tickets, o.Closed) = (Psp - o.Price.TotalMinor, Platform - o.Price.PlatformFeeMinor, Tax - o.Price.TaxMinor, Tickets - o.Tickets, true);
            return o.Price.SubtotalMinor + o.Price.ProcessingFeeMinor;
        }

        private void AddPayable(Guid eventId, long amount) => PayableByEvent[eventId] = PayableByEvent.GetValueOrDefault(eventId) + amount;
    }

    /// <summary>A resale purchase posted, and whether it was undone.</summary>
    private sealed record ResaleModel(Guid OrderId, Guid EventId, Guid ClassId, PriceBreakdown Price, long Commission)
    {
        public bool Closed { get; set; }
    }
}
