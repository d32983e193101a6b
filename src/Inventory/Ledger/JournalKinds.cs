namespace TicketAspire.Inventory.Ledger;

/// <summary>The kinds of journal entry (column <c>journal_entries.kind</c>); each business fact is posted once per kind and source.</summary>
public static class JournalKinds
{
    /// <summary>A confirmed order (source: the order id).</summary>
    public const string Sale = "sale";

    /// <summary>Money returned to the buyer (source: the refund id).</summary>
    public const string Refund = "refund";

    /// <summary>The reseller's share of a payment moved to the reserve during fraud review (source: the PSP event id).</summary>
    public const string FraudReserve = "fraud_reserve";

    /// <summary>A payment disputed by the buyer's bank (source: the PSP event id).</summary>
    public const string Chargeback = "chargeback";

    /// <summary>Money paid out to the reseller (source: the payout id).</summary>
    public const string Payout = "payout";

    /// <summary>A ticket sold on through the resale marketplace (source: the buyer's order id).</summary>
    public const string Resale = "resale";

    /// <summary>A paid flex pass: money for credits not redeemed yet (source: the purchase id).</summary>
    public const string PassCredits = "pass_credits";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Sale, Refund, FraudReserve, Chargeback, Payout, Resale, PassCredits];
}
