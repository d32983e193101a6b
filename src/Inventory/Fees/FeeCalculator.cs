using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Fees;

/// <summary>Computes what a buyer pays for tickets under a <see cref="FeePlan"/> (docs/payments.md §3).</summary>
public static class FeeCalculator
{
    /// <summary>
    /// The price of <paramref name="ticketCount"/> tickets whose prices add up to <paramref name="subtotalMinor"/>:
    /// <list type="bullet">
    /// <item><c>platform = round(subtotal × PlatformFeeBps / 10000) + PlatformFeeFixedMinor × tickets</c></item>
    /// <item><c>tax = round((subtotal + platform) × TaxRatePercent / 100)</c></item>
    /// <item><c>processing = round((subtotal + platform + tax) × ProcessingFeeBps / 10000) + ProcessingFeeFixedMinor</c> (once per payment)</item>
    /// <item><c>total = subtotal + platform + tax + processing</c></item>
    /// </list>
    /// Each amount is rounded half up (away from zero) to a whole minor unit on its own; arithmetic is checked (an
    /// overflow throws <see cref="OverflowException"/>). Free tickets (a zero subtotal) carry no fees at all.
    /// </summary>
    /// <exception cref="ArgumentException">Negative subtotal or ticket count, an invalid plan or currency code.</exception>
    public static PriceBreakdown Quote(FeePlan plan, long subtotalMinor, int ticketCount, string currency)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegative(subtotalMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(ticketCount);
        if (!Money.IsCurrencyCode(currency))
        {
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code.", nameof(currency));
        }

        if (!plan.IsValid())
        {
            throw new ArgumentException("The fee plan has a negative amount, more than 10000 bps or a tax rate above 100 %.", nameof(plan));
        }

        if (subtotalMinor == 0)
        {
            return new PriceBreakdown(0, 0, 0, 0, 0, currency);
        }

        var platform = checked(BasisPoints(subtotalMinor, plan.PlatformFeeBps) + (plan.PlatformFeeFixedMinor * ticketCount));
        var tax = Percent(checked(subtotalMinor + platform), plan.TaxRatePercent);
        var processing = checked(BasisPoints(checked(subtotalMinor + platform + tax), plan.ProcessingFeeBps) + plan.ProcessingFeeFixedMinor);
        return new PriceBreakdown(subtotalMinor, platform, processing, tax, checked(subtotalMinor + platform + tax + processing), currency);
    }

    /// <summary>The platform's commission on a resale at <paramref name="askingMinor"/>: <c>round(asking × ResaleCommissionBps / 10000)</c>, half up.</summary>
    public static long ResaleCommission(FeePlan plan, long askingMinor)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegative(askingMinor);
        return BasisPoints(askingMinor, plan.ResaleCommissionBps);
    }

    /// <summary><c>round(amount × bps / 10000)</c>, half up, for a non-negative amount.</summary>
    private static long BasisPoints(long amount, int bps)
    {
        var product = checked((Int128)amount * bps);
        return checked((long)((product + 5_000) / 10_000));
    }

    /// <summary><c>round(amount × percent / 100)</c>, half up, for a non-negative amount.</summary>
    private static long Percent(long amount, decimal percent) =>
        percent == 0 ? 0 : decimal.ToInt64(Math.Round(amount * percent / 100m, MidpointRounding.AwayFromZero));
}
