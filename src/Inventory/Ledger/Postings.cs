using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// Builds the balanced journal entries of docs/payments.md §4. Lines with a zero amount are left out (a line moves
/// money); ticket amounts are one line per class, with its quantity. Every builder validates what it returns and throws
/// <see cref="ArgumentException"/> for inconsistent input (class subtotals that do not add up to the price's subtotal, a
/// price whose total is not the sum of its parts, negative amounts) and for an entry that would move no money: a free
/// order (total 0) is not posted.
/// </summary>
public static class Postings
{
    /// <summary>
    /// A confirmed order: Dr <c>psp_clearing</c> total / Cr <c>reseller_payable</c> subtotal per class,
    /// Cr <c>platform_fees</c>, Cr <c>processing_fees_payable</c>, Cr <c>tax_payable</c>. Source: the order id.
    /// With a voucher's <paramref name="discount"/> (<paramref name="classes"/> are then after it), each class is credited
    /// at its price before the discount and the discount is debited back from <c>reseller_payable</c> on a line of its own
    /// (class, no quantity, the voucher): the reseller grants it, the buyer paid the rest, and the entry still balances.
    /// </summary>
    public static JournalEntry Sale(Guid orderId, Guid eventId, IReadOnlyList<ClassAmount> classes, PriceBreakdown price, DateTimeOffset at,
        VoucherDiscount? discount = null, LedgerAccount paidFrom = LedgerAccount.PspClearing)
    {
        CheckPrice(classes, price);
        if (paidFrom is not (LedgerAccount.PspClearing or LedgerAccount.UnredeemedCredits))
        {
            throw new ArgumentException("A sale is paid from psp_clearing, or from unredeemed_credits (a flex pass's credit).", nameof(paidFrom));
        }

        var lines = new List<JournalLine> { Debit(paidFrom, price.TotalMinor) };
        var off = discount?.Classes.ToDictionary(c => c.ClassId, c => c.SubtotalMinor) ?? [];
        if (off.Values.Any(v => v < 0) || discount?.Classes.Any(d => classes.All(c => c.ClassId != d.ClassId)) == true)
        {
            throw new ArgumentException("A discount is never negative and only on classes of the order.", nameof(discount));
        }

        lines.AddRange(classes.Select(c => (Class: c, Gross: checked(c.SubtotalMinor + off.GetValueOrDefault(c.ClassId))))
            .Where(c => c.Gross > 0)
            // a class the voucher made free counts no tickets sold, as a free order does not (its refund reverses none)
            .Select(c => new JournalLine(LedgerAccount.ResellerPayable, 0, c.Gross, c.Class.ClassId, c.Class.SubtotalMinor > 0 ? c.Class.Quantity : 0)));
        lines.AddRange(classes.Where(c => off.GetValueOrDefault(c.ClassId) > 0)
            .Select(c => new JournalLine(LedgerAccount.ResellerPayable, off[c.ClassId], 0, c.ClassId, 0, discount!.VoucherId)));
        AddCredit(lines, LedgerAccount.PlatformFees, price.PlatformFeeMinor);
        AddCredit(lines, LedgerAccount.ProcessingFeesPayable, price.ProcessingFeeMinor);
        AddCredit(lines, LedgerAccount.TaxPayable, price.TaxMinor);
        return Build(JournalKinds.Sale, orderId.ToString(), orderId, eventId, price.Currency, at, $"Sale of order {orderId}", lines);
    }

    /// <summary>
    /// A paid flex pass, its tickets not chosen yet: Dr <c>psp_clearing</c> / Cr <c>unredeemed_credits</c> the total.
    /// Each redemption is then a <see cref="Sale"/> paid from <c>unredeemed_credits</c>, so the credits' shares, which
    /// sum to the total, bring the account back to zero. Source: the purchase id.
    /// </summary>
    public static JournalEntry PassCredits(Guid purchaseId, PriceBreakdown price, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (price.TotalMinor <= 0)
        {
            throw new ArgumentException("A pass's credits are posted only for money received.", nameof(price));
        }

        var entry = new JournalEntry(Guid.CreateVersion7(at), JournalKinds.PassCredits, purchaseId.ToString(), null, null, price.Currency, at,
            $"Flex pass purchase {purchaseId}", [Debit(LedgerAccount.PspClearing, price.TotalMinor), Credit(LedgerAccount.UnredeemedCredits, price.TotalMinor)]);
        Validate(entry);
        return entry;
    }

    /// <summary>
    /// Money returned to the buyer: Dr <c>reseller_payable</c> (or <c>reseller_reserve</c> when
    /// <paramref name="fromReserve"/>: the sale's subtotal was reserved) the subtotal per class, Dr <c>reseller_payable</c>
    /// the processing fee (the PSP does not return it, so the reseller bears it), Dr <c>platform_fees</c>,
    /// Dr <c>tax_payable</c> / Cr <c>psp_clearing</c> total. <paramref name="classes"/> and <paramref name="price"/> are
    /// the refunded tickets and their price. A resale purchase (<paramref name="resaleSellerShare"/>: what its entry
    /// credited the seller) is reversed on the accounts the resale credited instead (see <see cref="ResaleReversal"/>).
    /// Source: the refund id.
    /// </summary>
    public static JournalEntry Refund(
        Guid refundId, Guid orderId, Guid eventId, IReadOnlyList<ClassAmount> classes, PriceBreakdown price, bool fromReserve, DateTimeOffset at,
        long? resaleSellerShare = null)
    {
        var lines = resaleSellerShare is { } share ? ResaleReversal(classes, price, share, 0) : Reversal(classes, price, fromReserve);
        return Build(JournalKinds.Refund, refundId.ToString(), orderId, eventId, price.Currency, at, $"Refund {refundId} of order {orderId}", lines);
    }

    /// <summary>
    /// A payment under fraud review: Dr <c>reseller_payable</c> / Cr <c>reseller_reserve</c> the order's subtotal.
    /// Source: the PSP event id.
    /// </summary>
    public static JournalEntry FraudReserve(string pspEventId, Guid orderId, Guid eventId, long subtotalMinor, string currency, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pspEventId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(subtotalMinor);
        List<JournalLine> lines = [Debit(LedgerAccount.ResellerPayable, subtotalMinor), Credit(LedgerAccount.ResellerReserve, subtotalMinor)];
        return Build(JournalKinds.FraudReserve, pspEventId, orderId, eventId, currency, at, $"Fraud review of order {orderId} ({pspEventId})", lines);
    }

    /// <summary>
    /// A disputed payment: the lines of a refund, plus Dr <c>reseller_payable</c> / Cr <c>processing_fees_payable</c>
    /// the PSP's <paramref name="chargebackFeeMinor"/>. A resale purchase (<paramref name="resaleSellerShare"/>) is
    /// reversed as <see cref="ResaleReversal"/> says, the platform bearing the fee. Source: the PSP event id.
    /// </summary>
    public static JournalEntry Chargeback(
        string pspEventId, Guid orderId, Guid eventId, IReadOnlyList<ClassAmount> classes, PriceBreakdown price, long chargebackFeeMinor, bool fromReserve,
        DateTimeOffset at, long? resaleSellerShare = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pspEventId);
        ArgumentOutOfRangeException.ThrowIfNegative(chargebackFeeMinor);
        if (resaleSellerShare is { } share)
        {
            var resale = ResaleReversal(classes, price, share, chargebackFeeMinor);
            return Build(JournalKinds.Chargeback, pspEventId, orderId, eventId, price.Currency, at, $"Chargeback of resale order {orderId} ({pspEventId})", resale);
        }

        var lines = Reversal(classes, price, fromReserve);
        if (chargebackFeeMinor > 0)
        {
            lines.Add(Debit(LedgerAccount.ResellerPayable, chargebackFeeMinor));
            lines.Add(Credit(LedgerAccount.ProcessingFeesPayable, chargebackFeeMinor));
        }

        return Build(JournalKinds.Chargeback, pspEventId, orderId, eventId, price.Currency, at, $"Chargeback of order {orderId} ({pspEventId})", lines);
    }

    /// <summary>
    /// A resale: the buyer paid the asking price (<paramref name="price"/>'s subtotal, one ticket of
    /// <paramref name="classId"/>) with the platform's buyer fees and tax. Dr <c>psp_clearing</c> total / Cr
    /// <c>seller_payable</c> the asking price less <paramref name="commissionMinor"/> (the seller's payout, with the class
    /// and quantity 1), Cr <c>platform_fees</c> the buyer's platform fee plus the commission, Cr
    /// <c>processing_fees_payable</c>, Cr <c>tax_payable</c>. The reseller's own accounts are not touched: it was paid for
    /// the ticket when it was first sold. Source: the buyer's order id.
    /// </summary>
    public static JournalEntry Resale(Guid orderId, Guid eventId, Guid classId, PriceBreakdown price, long commissionMinor, DateTimeOffset at)
    {
        CheckPrice([new ClassAmount(classId, 1, price?.SubtotalMinor ?? 0)], price!);
        ArgumentOutOfRangeException.ThrowIfNegative(commissionMinor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(commissionMinor, price!.SubtotalMinor);
        var lines = new List<JournalLine> { Debit(LedgerAccount.PspClearing, price.TotalMinor) };
        if (price.SubtotalMinor - commissionMinor > 0)
        {
            lines.Add(new JournalLine(LedgerAccount.SellerPayable, 0, price.SubtotalMinor - commissionMinor, classId, 1));
        }

        AddCredit(lines, LedgerAccount.PlatformFees, checked(price.PlatformFeeMinor + commissionMinor));
        AddCredit(lines, LedgerAccount.ProcessingFeesPayable, price.ProcessingFeeMinor);
        AddCredit(lines, LedgerAccount.TaxPayable, price.TaxMinor);
        return Build(JournalKinds.Resale, orderId.ToString(), orderId, eventId, price.Currency, at, $"Resale order {orderId}", lines);
    }

    /// <summary>Money paid to the reseller for one event: Dr <c>reseller_payable</c> / Cr <c>psp_clearing</c>. Source: the payout id.</summary>
    public static JournalEntry Payout(Guid payoutId, Guid eventId, long amountMinor, string currency, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        List<JournalLine> lines = [Debit(LedgerAccount.ResellerPayable, amountMinor), Credit(LedgerAccount.PspClearing, amountMinor)];
        return Build(JournalKinds.Payout, payoutId.ToString(), null, eventId, currency, at, $"Payout {payoutId} for event {eventId}", lines);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless the entry has a known kind, a source, a currency code, at least two
    /// lines, each with exactly one positive side, a non-negative quantity, and debits equal to credits.
    /// </summary>
    public static void Validate(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        void Fail(string message) => throw new ArgumentException($"Journal entry {entry.Kind}/{entry.SourceId}: {message}", nameof(entry));
        if (!JournalKinds.All.Contains(entry.Kind)) { Fail("unknown kind"); }
        if (string.IsNullOrWhiteSpace(entry.SourceId) || entry.SourceId.Length > 200) { Fail("a source id of 1..200 characters is required"); }
        if (!Money.IsCurrencyCode(entry.Currency)) { Fail($"'{entry.Currency}' is not a currency code"); }
        if (entry.Lines is null || entry.Lines.Count < 2) { Fail("at least two lines are required"); }
        foreach (var line in entry.Lines!)
        {
            if (line.DebitMinor < 0 || line.CreditMinor < 0 || (line.DebitMinor > 0) == (line.CreditMinor > 0)) { Fail("each line has exactly one positive side"); }
            if (line.Quantity < 0) { Fail("a quantity is never negative"); }
            if (!Enum.IsDefined(line.Account)) { Fail("unknown account"); }
        }

        if (entry.TotalDebitMinor != entry.TotalCreditMinor) { Fail($"debits {entry.TotalDebitMinor} != credits {entry.TotalCreditMinor}"); }
    }

    private static List<JournalLine> Reversal(IReadOnlyList<ClassAmount> classes, PriceBreakdown price, bool fromReserve)
    {
        CheckPrice(classes, price);
        var ticketAccount = fromReserve ? LedgerAccount.ResellerReserve : LedgerAccount.ResellerPayable;
        var lines = classes.Where(c => c.SubtotalMinor > 0).Select(c => new JournalLine(ticketAccount, c.SubtotalMinor, 0, c.ClassId, c.Quantity)).ToList();
        AddDebit(lines, LedgerAccount.ResellerPayable, price.ProcessingFeeMinor);
        AddDebit(lines, LedgerAccount.PlatformFees, price.PlatformFeeMinor);
        AddDebit(lines, LedgerAccount.TaxPayable, price.TaxMinor);
        lines.Add(Credit(LedgerAccount.PspClearing, price.TotalMinor));
        return lines;
    }

    /// <summary>
    /// The money of a resale purchase going back to its buyer: Dr <c>seller_payable</c> the seller's share (the class and
    /// quantity of the ticket), Dr <c>platform_fees</c> the commission (subtotal less the share), the buyer's platform fee,
    /// the processing fee the PSP keeps and <paramref name="chargebackFeeMinor"/> (the platform, party to the resale,
    /// bears those; the reseller's accounts were not touched by the resale and are not now), Cr
    /// <c>processing_fees_payable</c> the chargeback fee, Dr <c>tax_payable</c> / Cr <c>psp_clearing</c> total.
    /// </summary>
    private static List<JournalLine> ResaleReversal(IReadOnlyList<ClassAmount> classes, PriceBreakdown price, long sellerShare, long chargebackFeeMinor)
    {
        CheckPrice(classes, price);
        ArgumentOutOfRangeException.ThrowIfNegative(sellerShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sellerShare, price.SubtotalMinor);
        var lines = new List<JournalLine>();
        if (sellerShare > 0)
        {
            var ticket = classes.First(c => c.SubtotalMinor > 0);
            lines.Add(new JournalLine(LedgerAccount.SellerPayable, sellerShare, 0, ticket.ClassId, ticket.Quantity));
        }

        AddDebit(lines, LedgerAccount.PlatformFees,
            checked(price.SubtotalMinor - sellerShare + price.PlatformFeeMinor + price.ProcessingFeeMinor + chargebackFeeMinor));
        AddDebit(lines, LedgerAccount.TaxPayable, price.TaxMinor);
        lines.Add(Credit(LedgerAccount.PspClearing, price.TotalMinor));
        if (chargebackFeeMinor > 0)
        {
            lines.Add(Credit(LedgerAccount.ProcessingFeesPayable, chargebackFeeMinor));
        }

        return lines;
    }

    private static void CheckPrice(IReadOnlyList<ClassAmount> classes, PriceBreakdown price)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(price);
        if (!price.IsConsistent)
        {
            throw new ArgumentException("The price has a negative amount or a total that is not the sum of its parts.", nameof(price));
        }

        if (price.TotalMinor == 0)
        {
            throw new ArgumentException("A free order moves no money: there is nothing to post.", nameof(price));
        }

        if (classes.Any(c => c.Quantity <= 0 || c.SubtotalMinor < 0))
        {
            throw new ArgumentException("Every class has a positive quantity and a non-negative subtotal.", nameof(classes));
        }

        if (classes.Aggregate(0L, (sum, c) => checked(sum + c.SubtotalMinor)) != price.SubtotalMinor)
        {
            throw new ArgumentException("The classes' subtotals do not add up to the price's subtotal.", nameof(classes));
        }
    }

    private static JournalEntry Build(string kind, string sourceId, Guid? orderId, Guid eventId, string currency, DateTimeOffset at, string memo, List<JournalLine> lines)
    {
        var entry = new JournalEntry(Guid.CreateVersion7(at), kind, sourceId, orderId, eventId, currency, at, memo, lines);
        Validate(entry);
        return entry;
    }

    private static JournalLine Debit(LedgerAccount account, long amount) => new(account, amount, 0);

    private static JournalLine Credit(LedgerAccount account, long amount) => new(account, 0, amount);

    private static void AddDebit(List<JournalLine> lines, LedgerAccount account, long amount)
    {
        if (amount > 0)
        {
            lines.Add(Debit(account, amount));
        }
    }

    private static void AddCredit(List<JournalLine> lines, LedgerAccount account, long amount)
    {
        if (amount > 0)
        {
            lines.Add(Credit(account, amount));
        }
    }
}
