namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// One row of the sales report, over the sale, refund and chargeback entries of a period, in minor units of
/// <paramref name="Currency"/>:
/// <list type="bullet">
/// <item><paramref name="TicketsSold"/>: tickets on sale lines minus tickets refunded or charged back (paid tickets only: free tickets move no money and are not posted).</item>
/// <item><paramref name="GrossSales"/>: the tickets' price credited to the reseller by sales (before vouchers' discounts).</item>
/// <item><paramref name="Discounts"/>: what vouchers took off those sales (the reseller grants them).</item>
/// <item><paramref name="PlatformFees"/>, <paramref name="ProcessingFees"/>, <paramref name="Tax"/>: net of reversals (credits − debits of
/// <c>platform_fees</c>, <c>processing_fees_payable</c> (chargeback fees included), <c>tax_payable</c>).</item>
/// <item><paramref name="Refunds"/>, <paramref name="Chargebacks"/>: what they cost the reseller: the tickets' price, the processing fee the PSP keeps and, for chargebacks, the chargeback fee.</item>
/// <item><paramref name="Net"/>: what the reseller makes: <c>GrossSales − Discounts − Refunds − Chargebacks</c>.</item>
/// </list>
/// <paramref name="Key"/> is the event id, the class id (null for the order-level row) or the day (<c>yyyy-MM-dd</c>).
/// </summary>
public sealed record SalesRow(
    string? Key, string Label, long TicketsSold, long GrossSales, long PlatformFees, long ProcessingFees, long Tax, long Refunds,
    long Chargebacks, long Net, string Currency, long Discounts = 0);
