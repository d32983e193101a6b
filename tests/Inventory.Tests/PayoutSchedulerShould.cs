using System.Text.Json;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class PayoutSchedulerShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly FeePlan Plan = new() { TaxRatePercent = 20, PayoutDelayDays = 7 };
    private InventoryHarness _inventory = null!;
    private PayoutScheduler _scheduler = null!;
    private LedgerReports _reports = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(PayoutSchedulerShould));
        _scheduler = new PayoutScheduler(_inventory.Db, _inventory.Time);
        _reports = new LedgerReports(_inventory.Db);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task PayNothingBeforeThePayoutDate()
    {
        var ev = await EventStartingInAsync(TimeSpan.FromDays(1));
        await SellAsync(ev, 10_000);
        _inventory.Time.Advance(TimeSpan.FromDays(7));   // a day short

        Assert.Equal(0, await _scheduler.RunDueAsync(Plan, CancellationToken.None));

        var forecast = await _reports.PayoutForecastAsync(Plan, InventoryHarness.Currency, _inventory.Time.GetUtcNow(), CancellationToken.None);
        var upcoming = Assert.Single(forecast.Upcoming);
        Assert.Equal((ev.Id, 10_000L, "scheduled", ev.StartsAt.AddDays(7)), (upcoming.EventId, upcoming.AmountMinor, upcoming.Status, upcoming.PayoutOn));
        Assert.Equal(10_000, forecast.UpcomingTotal);
    }

    [Fact]
    public async Task PayTheEventsWholeBalanceOnceADayWithAnOutboxMessage()
    {
        var ev = await EventStartingInAsync(TimeSpan.FromDays(1));
        var other = await EventStartingInAsync(TimeSpan.FromDays(30));
        await SellAsync(ev, 10_000);
        await SellAsync(ev, 2_500);
        await SellAsync(other, 4_000);
        _inventory.Time.Advance(TimeSpan.FromDays(8) + TimeSpan.FromMinutes(1));
        var due = await _reports.PayoutForecastAsync(Plan, InventoryHarness.Currency, _inventory.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(("due", _inventory.Time.GetUtcNow()), (due.Upcoming[0].Status, due.Upcoming[0].PayoutOn));

        Assert.Equal(1, await _scheduler.RunDueAsync(Plan, CancellationToken.None));
        Assert.Equal(0, await _scheduler.RunDueAsync(Plan, CancellationToken.None));
        await SellAsync(ev, 1_000);   // a late sale waits for the next day's run
        Assert.Equal(0, await _scheduler.RunDueAsync(Plan, CancellationToken.None));

        var forecast = await _reports.PayoutForecastAsync(Plan, InventoryHarness.Currency, _inventory.Time.GetUtcNow(), CancellationToken.None);
        var paid = Assert.Single(forecast.Paid);
        Assert.Equal((ev.Id, 12_500L), (paid.EventId, paid.AmountMinor));
        Assert.Equal([(ev.Id, 1_000L), (other.Id, 4_000L)], forecast.Upcoming.Select(u => (u.EventId, u.AmountMinor)));

        var payload = JsonDocument.Parse(await _inventory.ScalarAsync<string>(
            "SELECT payload::text FROM outbox WHERE topic = 'payout.scheduled' AND event_id = $1", ev.Id)).RootElement;
        Assert.Equal((paid.PayoutId, 12_500L, "EUR"),
            (payload.GetProperty("payout_id").GetString(), payload.GetProperty("amount").GetInt64(), payload.GetProperty("currency").GetString()));

        _inventory.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await _scheduler.RunDueAsync(Plan, CancellationToken.None));
        var statement = await _reports.StatementAsync(InventoryHarness.Currency, null, null, CancellationToken.None);
        Assert.Equal((13_500L, 4_000L, true), (statement.Payouts, statement.NetPayable, statement.Balanced));
    }

    [Fact]
    public async Task PayNothingForAnEventThatOwesMoney()
    {
        var ev = await EventStartingInAsync(TimeSpan.FromDays(1));
        var order = await SellAsync(ev, 1_000);
        await LedgerDb.PostAsync(_inventory.Db, Postings.Chargeback("psp-cb-1", order.OrderId!.Value, ev.Id, [new(ev.TicketClasses[0].Id, 1, 1_000)],
            Quote(1_000), Plan.ChargebackFeeMinor, false, _inventory.Time.GetUtcNow()));
        _inventory.Time.Advance(TimeSpan.FromDays(9));

        Assert.Equal(0, await _scheduler.RunDueAsync(Plan, CancellationToken.None));

        var owed = Assert.Single((await _reports.PayoutForecastAsync(Plan, InventoryHarness.Currency, _inventory.Time.GetUtcNow(), CancellationToken.None)).Upcoming);
        Assert.Equal(("owed", (DateTimeOffset?)null), (owed.Status, owed.PayoutOn));
        Assert.True(owed.AmountMinor < 0);
    }

    private Task<Model.EventDetail> EventStartingInAsync(TimeSpan after) =>
        _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10, name: $"Payout {Guid.NewGuid():N}", startsAt: _inventory.Time.GetUtcNow() + after));

    private static PriceBreakdown Quote(long subtotal) => FeeCalculator.Quote(Plan, subtotal, 1, InventoryHarness.Currency);

    private async Task<JournalEntry> SellAsync(Model.EventDetail ev, long subtotal)
    {
        var sale = Postings.Sale(Guid.NewGuid(), ev.Id, [new(ev.TicketClasses[0].Id, 1, subtotal)], Quote(subtotal), _inventory.Time.GetUtcNow());
        Assert.True(await LedgerDb.PostAsync(_inventory.Db, sale));
        return sale;
    }
}
