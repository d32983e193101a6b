namespace TicketAspire.Inventory.Fees;

/// <summary>
/// A reseller's fee plan (configuration section <c>Fees</c>, overridden per reseller by <c>Resellers:&lt;id&gt;:Fees</c>;
/// the tax rate is not configured here: it is the cell's rule, which the API sets for each reseller with
/// <see cref="WithTaxRate"/> from the rules it serves at <c>GET /v1/rules</c>). All fees are paid by the buyer; see
/// <see cref="FeeCalculator.Quote"/> for how they are computed.
/// </summary>
public sealed class FeePlan
{
    /// <summary>Platform fee as a share of the tickets' subtotal, in basis points (500 = 5 %).</summary>
    public int PlatformFeeBps { get; set; } = 500;

    /// <summary>Platform fee per ticket, in minor units.</summary>
    public long PlatformFeeFixedMinor { get; set; } = 50;

    /// <summary>Payment processing fee as a share of subtotal + platform fee + tax, in basis points.</summary>
    public int ProcessingFeeBps { get; set; } = 150;

    /// <summary>Payment processing fee per payment, in minor units.</summary>
    public long ProcessingFeeFixedMinor { get; set; } = 25;

    /// <summary>The platform's commission on a resale, a share of the asking price in basis points, kept from the seller's payout.</summary>
    public int ResaleCommissionBps { get; set; } = 1000;

    /// <summary>What the PSP charges the reseller for a chargeback, in minor units.</summary>
    public long ChargebackFeeMinor { get; set; } = 1500;

    /// <summary>Tax rate in percent on subtotal + platform fee (the cell's rules; 0 until set with <see cref="WithTaxRate"/>).</summary>
    public decimal TaxRatePercent { get; set; }

    /// <summary>Days after an event starts before its money is paid out to the reseller.</summary>
    public int PayoutDelayDays { get; set; } = 7;

    /// <summary>A copy of this plan with <paramref name="percent"/> as its tax rate (this one is left as it is).</summary>
    public FeePlan WithTaxRate(decimal percent)
    {
        var copy = (FeePlan)MemberwiseClone();
        copy.TaxRatePercent = percent;
        return copy;
    }

    /// <summary>
    /// The plan for money that does not pass through the PSP (an invoice paid by bank transfer): no processing fee, the
    /// rest as it is.
    /// </summary>
    public FeePlan WithoutProcessingFee()
    {
        var copy = (FeePlan)MemberwiseClone();
        copy.ProcessingFeeBps = 0;
        copy.ProcessingFeeFixedMinor = 0;
        return copy;
    }

    /// <summary>True when every amount is non-negative, basis points are at most 10 000 and the tax rate at most 100 %.</summary>
    public bool IsValid() =>
        PlatformFeeBps is >= 0 and <= 10_000 && ResaleCommissionBps is >= 0 and <= 10_000 && ProcessingFeeBps is >= 0 and <= 10_000 &&
        PlatformFeeFixedMinor >= 0 && ProcessingFeeFixedMinor >= 0 && ChargebackFeeMinor >= 0 &&
        TaxRatePercent is >= 0 and <= 100 && PayoutDelayDays is >= 0 and <= 3650;
}
