using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;

namespace TicketAspire.Inventory.Tests;

public sealed class LedgerPostingsShould
{
    private static readonly DateTimeOffset At = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly Guid Order = Guid.NewGuid(), Event = Guid.NewGuid(), ClassA = Guid.NewGuid(), ClassB = Guid.NewGuid();
    private static readonly ClassAmount[] Classes = [new(ClassA, 2, 6_000), new(ClassB, 1, 4_000)];
    private static readonly PriceBreakdown Price = FeeCalculator.Quote(new FeePlan { TaxRatePercent = 20 }, 10_000, 3, "EUR");

    public static TheoryData<string> Builders => [JournalKinds.Sale, JournalKinds.Refund, JournalKinds.FraudReserve, JournalKinds.Chargeback, JournalKinds.Payout];

    [Theory]
    [MemberData(nameof(Builders))]
    public void BuildBalancedEntries(string kind)
    {
        var entry = Build(kind, fromReserve: false);

        Assert.Equal(kind, entry.Kind);
        Assert.True(entry.Lines.Count >= 2);
        Assert.Equal(entry.TotalDebitMinor, entry.TotalCreditMinor);
        Assert.All(entry.Lines, l => Assert.True((l.DebitMinor > 0) ^ (l.CreditMinor > 0)));
        Postings.Validate(entry);
    }

    [Fact]
    public void PostASaleAsTheTotalClearedAgainstTicketsPerClassAndEachFee()
    {
        var sale = Postings.Sale(Order, Event, Classes, Price, At);

        Assert.Equal(
            [
                new JournalLine(LedgerAccount.PspClearing, Price.TotalMinor, 0),
                new JournalLine(LedgerAccount.ResellerPayable, 0, 6_000, ClassA, 2),
                new JournalLine(LedgerAccount.ResellerPayable, 0, 4_000, ClassB, 1),
                new JournalLine(LedgerAccount.PlatformFees, 0, Price.PlatformFeeMinor),
                new JournalLine(LedgerAccount.ProcessingFeesPayable, 0, Price.ProcessingFeeMinor),
                new JournalLine(LedgerAccount.TaxPayable, 0, Price.TaxMinor),
            ],
            sale.Lines);
        Assert.Equal((Order.ToString(), (Guid?)Order, (Guid?)Event, "EUR"), (sale.SourceId, sale.OrderId, sale.EventId, sale.Currency));
    }

    [Fact]
    public void ChargeTheResellerTheUnreturnedProcessingFeeOnARefund()
    {
        var refund = Build(JournalKinds.Refund, fromReserve: false);

        var reseller = refund.Lines.Where(l => l.Account == LedgerAccount.ResellerPayable).Sum(l => l.DebitMinor);
        Assert.Equal(Price.SubtotalMinor + Price.ProcessingFeeMinor, reseller);
        Assert.Equal(Price.TotalMinor, refund.Lines.Single(l => l.Account == LedgerAccount.PspClearing).CreditMinor);
        Assert.DoesNotContain(refund.Lines, l => l.Account == LedgerAccount.ProcessingFeesPayable);
    }

    [Fact]
    public void TakeTheTicketsOfAReservedSaleFromTheReserve()
    {
        var refund = Build(JournalKinds.Refund, fromReserve: true);

        Assert.Equal(Price.SubtotalMinor, refund.Lines.Where(l => l.Account == LedgerAccount.ResellerReserve).Sum(l => l.DebitMinor));
        Assert.Equal(Price.ProcessingFeeMinor, refund.Lines.Where(l => l.Account == LedgerAccount.ResellerPayable).Sum(l => l.DebitMinor));
    }

    [Fact]
    public void ChargeTheChargebackFeeToTheResellerForThePsp()
    {
        var chargeback = Postings.Chargeback("psp-evt-1", Order, Event, Classes, Price, 1_500, false, At);

        Assert.Contains(new JournalLine(LedgerAccount.ResellerPayable, 1_500, 0), chargeback.Lines);
        Assert.Contains(new JournalLine(LedgerAccount.ProcessingFeesPayable, 0, 1_500), chargeback.Lines);
    }

    [Fact]
    public void RefuseInconsistentInput()
    {
        Assert.Throws<ArgumentException>(() => Postings.Sale(Order, Event, [new(ClassA, 1, 9_999)], Price, At));
        Assert.Throws<ArgumentException>(() => Postings.Sale(Order, Event, Classes, Price with { TotalMinor = Price.TotalMinor + 1 }, At));
        Assert.Throws<ArgumentException>(() => Postings.Sale(Order, Event, [new(ClassA, 0, 10_000)], Price, At));
        Assert.Throws<ArgumentException>(() => Postings.Sale(Order, Event, [new(ClassA, 1, 0)], new PriceBreakdown(0, 0, 0, 0, 0, "EUR"), At));
        Assert.Throws<ArgumentOutOfRangeException>(() => Postings.Payout(Guid.NewGuid(), Event, 0, "EUR", At));
        Assert.Throws<ArgumentOutOfRangeException>(() => Postings.FraudReserve("psp", Order, Event, -5, "EUR", At));
    }

    [Fact]
    public void RejectAnUnbalancedOrOneSidedEntry()
    {
        var sale = Postings.Sale(Order, Event, Classes, Price, At);

        Assert.Throws<ArgumentException>(() => Postings.Validate(sale with { Lines = [.. sale.Lines.Skip(1)] }));
        Assert.Throws<ArgumentException>(() => Postings.Validate(sale with { Lines = [new(LedgerAccount.PspClearing, 5, 5), new(LedgerAccount.TaxPayable, 0, 0)] }));
        Assert.Throws<ArgumentException>(() => Postings.Validate(sale with { Lines = [new(LedgerAccount.PspClearing, 5, 0)] }));
        Assert.Throws<ArgumentException>(() => Postings.Validate(sale with { Kind = "gift" }));
    }

    private static JournalEntry Build(string kind, bool fromReserve) => kind switch
    {
        JournalKinds.Sale => Postings.Sale(Order, Event, Classes, Price, At),
        JournalKinds.Refund => Postings.Refund(Guid.NewGuid(), Order, Event, Classes, Price, fromReserve, At),
        JournalKinds.FraudReserve => Postings.FraudReserve("psp-review-1", Order, Event, Price.SubtotalMinor, "EUR", At),
        JournalKinds.Chargeback => Postings.Chargeback("psp-dispute-1", Order, Event, Classes, Price, 1_500, fromReserve, At),
        _ => Postings.Payout(Guid.NewGuid(), Event, 7_000, "EUR", At),
    };
}
