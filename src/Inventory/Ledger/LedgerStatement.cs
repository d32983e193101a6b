namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// The reseller's statement for entries that occurred in [<paramref name="From"/>, <paramref name="To"/>) (either open),
/// in minor units of <paramref name="Currency"/>. Period totals are defined as in <see cref="SalesRow"/>;
/// <paramref name="ChargebackFees"/> is the part of <paramref name="Chargebacks"/> that is the PSP's fee,
/// <paramref name="FraudReserved"/> what fraud reviews moved to the reserve and <paramref name="Payouts"/> what was paid
/// out. Balances are as of <paramref name="To"/> (from the first entry): <paramref name="NetPayable"/> is the
/// <c>reseller_payable</c> balance, <paramref name="Reserved"/> the <c>reseller_reserve</c> balance, and
/// <paramref name="Balanced"/> says that all debits equal all credits.
/// </summary>
public sealed record LedgerStatement(
    DateTimeOffset? From, DateTimeOffset? To, string Currency, long TicketsSold,
    long GrossSales, long PlatformFees, long ProcessingFees, long Tax, long Refunds, long Chargebacks, long ChargebackFees,
    long FraudReserved, long Payouts, long Net,
    IReadOnlyList<AccountBalance> Balances, long NetPayable, long Reserved, long TotalDebits, long TotalCredits, bool Balanced, long Discounts = 0);
