using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Inventory.Vouchers;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// What a voucher takes off a hold, when it may be redeemed, and how its discount reaches the order and the ledger; against
/// real Postgres, through <see cref="Holds.HoldService"/> and <see cref="Sales.SaleService"/>.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class VoucherShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private VoucherService _vouchers = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(VoucherShould));
        _vouchers = new VoucherService(_inventory.Db, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    /// <summary>Two classes: VIP at 120.00 (10 tickets), Standard at 45.55 (10 tickets).</summary>
    private async Task<EventDetail> TwoClassEventAsync() => await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10) with
    {
        TicketClasses = [new("VIP", 12_000, 10), new("Standard", 4_555, 10)],
    });

    private async Task<VoucherView> VoucherAsync(Guid eventId, string code, string kind, int? percent = null, long? amount = null, Guid? classId = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null, int? maxUses = null, int? perCustomer = null) =>
        (await _vouchers.CreateAsync(eventId, new CreateVoucherCommand(code, kind, percent, amount, classId, from, until, maxUses, perCustomer), CancellationToken.None))
            .ShouldSucceed();

    private Task<Result<HoldView>> HoldAsync(EventDetail ev, string customer, string? code, int vip, int standard) =>
        _inventory.Holds.CreateAsync(new CreateHoldCommand(ev.Id, customer, null,
            [.. new (Guid Class, int Qty)[] { (Class(ev, "VIP"), vip), (Class(ev, "Standard"), standard) }.Where(t => t.Qty > 0).Select(t => new TicketRequest(t.Class, t.Qty))],
            null, VoucherCode: code), CancellationToken.None);

    private static Guid Class(EventDetail ev, string name) => ev.TicketClasses.Single(c => c.Name == name).Id;

    [Fact]
    public async Task TakeAPercentageOffEveryTicketRoundedDownPerTicket()
    {
        var ev = await TwoClassEventAsync();
        await VoucherAsync(ev.Id, "TEN", VoucherKinds.Percentage, percent: 15);

        var hold = (await HoldAsync(ev, "p-1", "ten", vip: 1, standard: 2)).ShouldSucceed();

        // 15 % of 12000 = 1800; of 4555 = 683.25 → 683, twice
        Assert.Equal((1_800L + 683 + 683, 12_000L + 4_555 + 4_555 - 3_166), (hold.Discount!.Value.MinorUnits, hold.Total.MinorUnits));
        Assert.Equal("TEN", hold.VoucherCode);
        Assert.Equal(hold.Total.MinorUnits, hold.Seats.Sum(s => s.Price.MinorUnits));
        var read = (await _inventory.Holds.GetAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((hold.Total, hold.Discount, "TEN"), (read.Total, read.Discount, read.VoucherCode));
    }

    [Fact]
    public async Task TakeAFixedAmountOffTheCheapestTicketsFirstAndNeverMoreThanTheyCost()
    {
        var ev = await TwoClassEventAsync();
        await VoucherAsync(ev.Id, "FIVE-K", VoucherKinds.FixedAmount, amount: 5_000);
        await VoucherAsync(ev.Id, "HUGE", VoucherKinds.FixedAmount, amount: 1_000_000);

        var five = (await HoldAsync(ev, "f-1", "five-k", vip: 1, standard: 2)).ShouldSucceed();
        var huge = (await HoldAsync(ev, "f-2", "HUGE", vip: 0, standard: 1)).ShouldSucceed();

        // 4555 off the first Standard, 445 off the second, the VIP untouched
        Assert.Equal([445L, 4_555L], five.Seats.Select(s => s.Discount!.Value.MinorUnits).Where(d => d > 0).Order());
        Assert.Equal((5_000L, 21_110L - 5_000), (five.Discount!.Value.MinorUnits, five.Total.MinorUnits));
        Assert.Equal((4_555L, 0L), (huge.Discount!.Value.MinorUnits, huge.Total.MinorUnits));
    }

    [Fact]
    public async Task GiveTheCheapestEligibleTicketFreeAndOnlyTicketsOfTheVouchersClass()
    {
        var ev = await TwoClassEventAsync();
        await VoucherAsync(ev.Id, "FREE-VIP", VoucherKinds.FreeTicket, classId: Class(ev, "VIP"));

        var hold = (await HoldAsync(ev, "c-1", "FREE-VIP", vip: 2, standard: 1)).ShouldSucceed();
        var refused = await HoldAsync(ev, "c-2", "FREE-VIP", vip: 0, standard: 2);

        Assert.Equal((12_000L, 12_000L + 4_555), (hold.Discount!.Value.MinorUnits, hold.Total.MinorUnits));
        Assert.Equal(Class(ev, "VIP"), hold.Seats.Single(s => s.Discount!.Value.MinorUnits > 0).ClassId);
        refused.ShouldFailWith(ErrorCodes.VoucherNotApplicable);
        Assert.Equal(1, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE event_id = $1", ev.Id));
    }

    [Fact]
    public async Task RefuseUnknownDisabledAndOutOfWindowVouchersAndHoldNothing()
    {
        var ev = await TwoClassEventAsync();
        var now = _inventory.Time.GetUtcNow();
        await VoucherAsync(ev.Id, "LATER", VoucherKinds.Percentage, percent: 10, from: now.AddHours(1));
        await VoucherAsync(ev.Id, "OVER", VoucherKinds.Percentage, percent: 10, until: now);
        var off = await VoucherAsync(ev.Id, "OFF", VoucherKinds.Percentage, percent: 10);
        (await _vouchers.DisableAsync(ev.Id, off.Id, CancellationToken.None)).ShouldSucceed();

        foreach (var code in new[] { "NOPE", "LATER", "OVER", "OFF" })
        {
            (await HoldAsync(ev, "w-1", code, vip: 1, standard: 0)).ShouldFailWith(ErrorCodes.VoucherInvalid);
        }

        (await HoldAsync(ev, "w-1", "no spaces!", vip: 1, standard: 0)).ShouldFailWith(ErrorCodes.Validation);
        Assert.Equal(0, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status <> 0", ev.Id));

        _inventory.Time.Advance(TimeSpan.FromHours(2));
        (await HoldAsync(ev, "w-1", "LATER", vip: 1, standard: 0)).ShouldSucceed();
    }

    [Fact]
    public async Task LimitUsesPerCustomerAndGiveALapsedHoldsUseBack()
    {
        var ev = await TwoClassEventAsync();
        await VoucherAsync(ev.Id, "ONCE", VoucherKinds.Percentage, percent: 50, maxUses: 2, perCustomer: 1);

        var first = (await _inventory.Holds.CreateAsync(new CreateHoldCommand(ev.Id, "once-1", null, [new TicketRequest(Class(ev, "VIP"), 1)], 60, VoucherCode: "ONCE"),
            CancellationToken.None)).ShouldSucceed();
        (await HoldAsync(ev, "once-1", "ONCE", vip: 1, standard: 0)).ShouldFailWith(ErrorCodes.VoucherLimitReached);
        (await HoldAsync(ev, "once-2", "ONCE", vip: 1, standard: 0)).ShouldSucceed();
        (await HoldAsync(ev, "once-3", "ONCE", vip: 1, standard: 0)).ShouldFailWith(ErrorCodes.VoucherExhausted);

        // the first hold lapses (nobody swept it): its use is free again, for its customer as for anyone
        _inventory.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.NotNull(first);
        (await HoldAsync(ev, "once-1", "ONCE", vip: 1, standard: 0)).ShouldSucceed();
        var voucher = (await _vouchers.ListAsync(ev.Id, CancellationToken.None)).ShouldSucceed().Vouchers.Single();
        Assert.Equal(2, voucher.Uses);
    }

    [Fact]
    public async Task KeepTheDiscountOnTheOrderAndPostItToTheLedgerOnItsOwnLine()
    {
        var ev = await TwoClassEventAsync();
        var voucher = await VoucherAsync(ev.Id, "LEDGER", VoucherKinds.Percentage, percent: 25);
        var hold = (await HoldAsync(ev, "l-1", "LEDGER", vip: 1, standard: 1)).ShouldSucceed();
        var gross = 12_000L + 4_555;
        var discount = 3_000L + 1_138;
        Assert.Equal(discount, hold.Discount!.Value.MinorUnits);

        var order = (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();

        Assert.Equal((gross - discount, discount, "LEDGER"), (order.Price!.Subtotal.MinorUnits, order.Price.Discount!.Value.MinorUnits, order.Price.VoucherCode));
        Assert.Equal(discount, await _inventory.ScalarAsync<long>("SELECT sum(discount_minor)::bigint FROM tickets WHERE order_id = $1", order.Id));
        var entry = (await new LedgerReports(_inventory.Db).JournalAsync(1, 10, order.Id, CancellationToken.None)).Entries.Single();
        var payable = entry.Lines.Where(l => l.Account == LedgerAccount.ResellerPayable).ToList();
        Assert.Equal(gross, payable.Sum(l => l.CreditMinor));
        Assert.Equal(discount, payable.Where(l => l.VoucherId == voucher.Id).Sum(l => l.DebitMinor));
        Assert.Equal(entry.TotalDebitMinor, entry.TotalCreditMinor);
        Assert.Equal(0L, await LedgerDb.UnbalancedEntriesAsync(_inventory));
        var statement = await new LedgerReports(_inventory.Db).StatementAsync(InventoryHarness.Currency, null, null, CancellationToken.None);
        Assert.Equal((gross, discount, gross - discount, 2L), (statement.GrossSales, statement.Discounts, statement.NetPayable, statement.TicketsSold));
        var byClass = await new LedgerReports(_inventory.Db).SalesAsync(InventoryHarness.Currency, null, null, SalesGrouping.Class, CancellationToken.None);
        Assert.Equal(discount, byClass.Sum(r => r.Discounts));
        Assert.Equal(statement.Net, byClass.Sum(r => r.Net));
        var counted = (await _vouchers.GetAsync(ev.Id, voucher.Id, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((1L, 1L, discount), (counted.Uses, counted.Redeemed, counted.DiscountRedeemedMinor));
    }

    [Fact]
    public async Task PostASaleWhoseVoucherMadeAClassFreeWithoutCountingItsTickets()
    {
        var classA = Guid.NewGuid();
        var classB = Guid.NewGuid();
        var price = FeeCalculator.Quote(new FeePlan(), 4_000, 3, "EUR");
        var entry = Postings.Sale(Guid.NewGuid(), Guid.NewGuid(), [new(classA, 1, 0), new(classB, 2, 4_000)], price, DateTimeOffset.UnixEpoch,
            new VoucherDiscount(Guid.NewGuid(), [new(classA, 1, 3_000), new(classB, 2, 1_000)]));

        Assert.Equal(entry.TotalDebitMinor, entry.TotalCreditMinor);
        var credits = entry.Lines.Where(l => l.Account == LedgerAccount.ResellerPayable && l.CreditMinor > 0).ToList();
        Assert.Equal([(classA, 3_000L, 0), (classB, 5_000L, 2)], credits.Select(l => (l.ClassId!.Value, l.CreditMinor, l.Quantity)).OrderBy(x => x.Item2));
        Assert.Equal(4_000L, entry.Lines.Where(l => l.VoucherId is not null).Sum(l => l.DebitMinor));
    }

    [Fact]
    public async Task RefuseBadVouchersWithFieldErrors()
    {
        var ev = await TwoClassEventAsync();
        var bad = await _vouchers.CreateAsync(ev.Id, new CreateVoucherCommand("x", "half", null, null, null, null, null, 0, -1), CancellationToken.None);
        var fields = bad.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys.Order();
        Assert.Equal(["code", "kind", "max_uses", "max_uses_per_customer"], fields);
        (await _vouchers.CreateAsync(ev.Id, new CreateVoucherCommand("PCT", "percentage", 101, null, null, null, null, null, null), CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);
        await VoucherAsync(ev.Id, "TWICE", VoucherKinds.FreeTicket);
        (await _vouchers.CreateAsync(ev.Id, new CreateVoucherCommand("twice", "free_ticket", null, null, null, null, null, null, null), CancellationToken.None))
            .ShouldFailWith(ErrorCodes.VoucherCodeTaken);
        (await _vouchers.CreateAsync(Guid.NewGuid(), new CreateVoucherCommand("ELSE", "free_ticket", null, null, null, null, null, null, null), CancellationToken.None))
            .ShouldFailWith(ErrorCodes.EventNotFound);
    }
}
