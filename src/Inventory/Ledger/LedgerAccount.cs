namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// The chart of accounts of a reseller's ledger (docs/payments.md §4), stored as snake_case text
/// (<c>psp_clearing</c>, <c>reseller_payable</c>, …).
/// </summary>
public enum LedgerAccount
{
    /// <summary>Asset: money the PSP holds for the reseller.</summary>
    PspClearing = 0,

    /// <summary>Liability: what the platform owes the reseller.</summary>
    ResellerPayable = 1,

    /// <summary>Liability: the reseller's money held back while a payment is under fraud review.</summary>
    ResellerReserve = 2,

    /// <summary>Revenue: the platform's fee income.</summary>
    PlatformFees = 3,

    /// <summary>Liability: what the PSP keeps (processing and chargeback fees).</summary>
    ProcessingFeesPayable = 4,

    /// <summary>Liability: tax collected.</summary>
    TaxPayable = 5,

    /// <summary>Liability: what the platform owes the sellers of resold tickets (their payout).</summary>
    SellerPayable = 6,

    /// <summary>Liability: money received for flex pass credits not redeemed yet (each redemption's sale draws on it).</summary>
    UnredeemedCredits = 7,
}
