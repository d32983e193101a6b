namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// The feature names of the cell rules. On/off rules are feature flags evaluated by <see cref="ResellerRuleFilter"/>;
/// valued rules are variant features whose variant is chosen per reseller (<see cref="RuleDefinitionProvider"/>).
/// </summary>
public static class RuleNames
{
    /// <summary>Buyers may hold and buy without an account (flag).</summary>
    public const string GuestCheckout = "GuestCheckout";

    /// <summary>Tickets may be resold (flag).</summary>
    public const string ResaleAllowed = "ResaleAllowed";

    /// <summary>Tickets may be transferred to another person (flag).</summary>
    public const string TransfersAllowed = "TransfersAllowed";

    /// <summary>Prices may change with demand (flag).</summary>
    public const string DynamicPricingAllowed = "DynamicPricingAllowed";

    /// <summary>Highest resale price, percent of face value (variant).</summary>
    public const string ResalePriceCapPercent = "ResalePriceCapPercent";

    /// <summary>Lowest dynamic price, percent of face value (variant; the jurisdiction's alone).</summary>
    public const string DynamicPriceMinPercent = "DynamicPriceMinPercent";

    /// <summary>Highest dynamic price, percent of face value (variant; the jurisdiction's alone).</summary>
    public const string DynamicPriceMaxPercent = "DynamicPriceMaxPercent";

    /// <summary>Days personal data is kept (variant).</summary>
    public const string DataRetentionDays = "DataRetentionDays";

    /// <summary>Tax on the ticket price, percent (variant).</summary>
    public const string TaxRatePercent = "TaxRatePercent";

    /// <summary>The flags.</summary>
    public static IReadOnlyList<string> Flags { get; } = [GuestCheckout, ResaleAllowed, TransfersAllowed, DynamicPricingAllowed];

    /// <summary>The valued rules.</summary>
    public static IReadOnlyList<string> Valued { get; } = [ResalePriceCapPercent, DynamicPriceMinPercent, DynamicPriceMaxPercent, DataRetentionDays, TaxRatePercent];
}
