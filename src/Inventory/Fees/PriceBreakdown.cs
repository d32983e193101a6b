namespace TicketAspire.Inventory.Fees;

/// <summary>
/// What the buyer pays, shown before confirmation and stored on the order: the tickets' subtotal, the platform fee,
/// the payment processing fee and tax, all in minor units of <paramref name="Currency"/>;
/// <paramref name="TotalMinor"/> is their sum. With a voucher, the subtotal is after the voucher's
/// <paramref name="DiscountMinor"/> (shown beside it, not added again).
/// </summary>
public sealed record PriceBreakdown(long SubtotalMinor, long PlatformFeeMinor, long ProcessingFeeMinor, long TaxMinor, long TotalMinor, string Currency,
    long DiscountMinor = 0)
{
    /// <summary>True when no amount is negative and the total is the sum of the parts.</summary>
    public bool IsConsistent =>
        SubtotalMinor >= 0 && PlatformFeeMinor >= 0 && ProcessingFeeMinor >= 0 && TaxMinor >= 0 &&
        TotalMinor == checked(SubtotalMinor + PlatformFeeMinor + ProcessingFeeMinor + TaxMinor);
}
