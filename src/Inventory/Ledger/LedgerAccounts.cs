namespace TicketAspire.Inventory.Ledger;

/// <summary>The stored names of <see cref="LedgerAccount"/> values and each account's normal side.</summary>
public static class LedgerAccounts
{
    private static readonly Dictionary<LedgerAccount, string> Names = new()
    {
        [LedgerAccount.PspClearing] = "psp_clearing",
        [LedgerAccount.ResellerPayable] = "reseller_payable",
        [LedgerAccount.ResellerReserve] = "reseller_reserve",
        [LedgerAccount.PlatformFees] = "platform_fees",
        [LedgerAccount.ProcessingFeesPayable] = "processing_fees_payable",
        [LedgerAccount.TaxPayable] = "tax_payable",
        [LedgerAccount.SellerPayable] = "seller_payable",
        [LedgerAccount.UnredeemedCredits] = "unredeemed_credits",
    };

    private static readonly Dictionary<string, LedgerAccount> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every account, in chart order.</summary>
    public static IReadOnlyList<LedgerAccount> All { get; } = [.. Names.Keys.Order()];

    /// <summary>The stored name: <c>reseller_payable</c>.</summary>
    public static string Name(LedgerAccount account) =>
        Names.TryGetValue(account, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(account), account, null);

    /// <summary>The account of a stored name.</summary>
    public static LedgerAccount Parse(string name) =>
        ByName.TryGetValue(name, out var account) ? account : throw new FormatException($"Unknown ledger account '{name}'.");

    /// <summary>True for the asset account (its balance is debits − credits); the others' balance is credits − debits.</summary>
    public static bool IsDebitNormal(LedgerAccount account) => account == LedgerAccount.PspClearing;
}
