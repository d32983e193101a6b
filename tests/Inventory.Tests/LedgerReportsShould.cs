using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>The reports on a small ledger whose numbers are worked out by hand.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class LedgerReportsShould(PostgresServer postgres) : IAsyncLifetime
{
    private const string Eur = InventoryHarness.Currency;
    private static readonly FeePlan Plan = new() { TaxRatePercent = 20, ChargebackFeeMinor = 1_500 };
    private static readonly DateTimeOffset Day1 = new(2030, 2, 1, 10, 0, 0, TimeSpan.Zero);
    private InventoryHarness _inventory = null!;
    private LedgerReports _reports = null!;
    private EventDetail _event = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(LedgerReportsShould));
        _reports = new LedgerReports(_inventory.Db);
        _event = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10, name: "Open Air") with
        {
            TicketClasses = [new("GA", 3_000, 100), new("VIP", 9_000, 20)],
        });

        // day 1: two orders; day 2: the first is refunded, the second charged back
        var (ga, vip) = (_event.TicketClasses.Single(c => c.Name == "GA").Id, _event.TicketClasses.Single(c => c.Name == "VIP").Id);
        ClassAmount[] first = [new(ga, 2, 6_000), new(vip, 1, 9_000)], second = [new(ga, 1, 3_000)];
        var (p1, p2) = (FeeCalculator.Quote(Plan, 15_000, 3, Eur), FeeCalculator.Quote(Plan, 3_000, 1, Eur));
        var (o1, o2) = (Guid.NewGuid(), Guid.NewGuid());
        await LedgerDb.PostAsync(_inventory.Db, Postings.Sale(o1, _event.Id, first, p1, Day1));
        await LedgerDb.PostAsync(_inventory.Db, Postings.Sale(o2, _event.Id, second, p2, Day1.AddHours(1)));
        await LedgerDb.PostAsync(_inventory.Db, Postings.Refund(Guid.NewGuid(), o1, _event.Id, first, p1, false, Day1.AddDays(1)));
        await LedgerDb.PostAsync(_inventory.Db, Postings.Chargeback("psp-1", o2, _event.Id, second, p2, Plan.ChargebackFeeMinor, false, Day1.AddDays(1)));
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task ShowTheDaysSalesAndTheirReversals()
    {
        // order 1: 150.00 + platform 7.50 + 1.50 = 9.00, tax 31.80, processing 1.5 % of 190.80 = 2.86 + 0.25 = 3.11 → 193.91
        // order 2:  30.00 + platform 1.50 + 0.50 = 2.00, tax  6.40, processing 1.5 % of  38.40 = 0.58 + 0.25 = 0.83 →  39.23
        // refund of order 1 costs the reseller 150.00 + 3.11; the chargeback of order 2 costs 30.00 + 0.83 + 15.00
        var days = await _reports.SalesAsync(Eur, null, null, SalesGrouping.Day, CancellationToken.None);

        Assert.Equal(
            [
                new SalesRow("2030-02-01", "2030-02-01", 4, 18_000, 1_100, 394, 3_820, 0, 0, 18_000, Eur),
                new SalesRow("2030-02-02", "2030-02-02", -4, 0, -1_100, 1_500, -3_820, 15_311, 4_583, -19_894, Eur),
            ],
            days);
    }

    [Fact]
    public async Task PutOrderLevelAmountsInARowOfTheirOwnWhenGroupedByClass()
    {
        var classes = await _reports.SalesAsync(Eur, null, Day1.AddDays(1), SalesGrouping.Class, CancellationToken.None);

        Assert.Equal(["Open Air / GA", "Open Air / VIP", "Order fees and adjustments"], classes.Select(r => r.Label));
        Assert.Equal([(3L, 9_000L), (1L, 9_000L), (0L, 0L)], classes.Select(r => (r.TicketsSold, r.GrossSales)));
        Assert.Null(classes[2].Key);
        Assert.Equal((1_100L, 394L, 3_820L), (classes[2].PlatformFees, classes[2].ProcessingFees, classes[2].Tax));
    }

    [Fact]
    public async Task StateWhatTheResellerIsOwedAndThatTheLedgerBalances()
    {
        var statement = await _reports.StatementAsync(Eur, null, null, CancellationToken.None);

        Assert.True(statement.Balanced);
        Assert.Equal((18_000L, 15_311L, 4_583L, 1_500L, -1_894L), (statement.GrossSales, statement.Refunds, statement.Chargebacks, statement.ChargebackFees, statement.Net));
        Assert.Equal(-1_894L, statement.NetPayable);   // the reseller bears the processing fees and the chargeback fee
        Assert.Equal(0L, statement.Balances.Single(b => b.Account == LedgerAccount.PlatformFees).Balance);
        Assert.Equal(394L + 1_500L, statement.Balances.Single(b => b.Account == LedgerAccount.ProcessingFeesPayable).Balance);
        Assert.Equal(0L, statement.Balances.Single(b => b.Account == LedgerAccount.PspClearing).Balance);   // all returned
        Assert.Equal(18_000L, (await _reports.StatementAsync(Eur, null, Day1.AddDays(1), CancellationToken.None)).NetPayable);
    }
}
