namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// The cell's rules as its cell file declares them (<c>CellRules:*</c>, set by the AppHost or the Kubernetes overlay).
/// Read through <see cref="RuleBook"/> (Microsoft.FeatureManagement), never directly by endpoints.
/// </summary>
public sealed class CellRuleOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CellRules";

    /// <summary>Tickets may be resold.</summary>
    public bool ResaleAllowed { get; set; }

    /// <summary>A resale may ask at most this percentage of the face value.</summary>
    public int ResalePriceCapPercent { get; set; } = 100;

    /// <summary>Tickets may be transferred to another person by e-mail.</summary>
    public bool TransfersAllowed { get; set; } = true;

    /// <summary>Prices may change with demand.</summary>
    public bool DynamicPricingAllowed { get; set; }

    /// <summary>Lowest dynamic price, percent of face value (1..100).</summary>
    public int DynamicPriceMinPercent { get; set; } = 100;

    /// <summary>Highest dynamic price, percent of face value (100..1000).</summary>
    public int DynamicPriceMaxPercent { get; set; } = 100;

    /// <summary>Buyers may hold and buy without an account of the reseller.</summary>
    public bool GuestCheckout { get; set; } = true;

    /// <summary>How long personal data is kept.</summary>
    public int DataRetentionDays { get; set; } = 730;

    /// <summary>Tax on the ticket price, in percent.</summary>
    public decimal TaxRatePercent { get; set; }

    /// <summary>True when every value is within the bounds the cell file allows.</summary>
    public bool IsValid() =>
        ResalePriceCapPercent is >= 0 and <= 1000 && DynamicPriceMinPercent is >= 1 and <= 100
        && DynamicPriceMaxPercent is >= 100 and <= 1000 && DataRetentionDays is >= 1 and <= 36500 && TaxRatePercent is >= 0 and <= 100;
}
