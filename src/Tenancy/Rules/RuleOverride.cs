using System.Text.Json.Serialization;

namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// A reseller's own choice of the rules its cell lets it choose; null leaves the cell's rule. A reseller may only narrow
/// its cell: turn off what the cell allows (guest checkout, resale, transfers, dynamic pricing) and lower the resale price cap. Tax
/// rate, currency and data retention are the jurisdiction's and have no override.
/// </summary>
public sealed record RuleOverride(
    bool? GuestCheckout = null, bool? ResaleAllowed = null, int? ResalePriceCapPercent = null, bool? DynamicPricingAllowed = null, bool? TransfersAllowed = null)
{
    /// <summary>No override at all.</summary>
    public static RuleOverride None { get; } = new();

    /// <summary>True when no rule is overridden.</summary>
    [JsonIgnore]
    public bool IsEmpty => this == None;

    /// <summary>
    /// What this override would widen beyond <paramref name="cell"/>, as field errors (snake_case field names); empty when
    /// it only narrows.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Violations(CellRuleOptions cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check(string field, bool? wanted, bool allowed)
        {
            if (wanted == true && !allowed)
            {
                errors[field] = [$"The cell does not allow {field.Replace('_', ' ')}; a reseller may only turn it off."];
            }
        }

        Check("guest_checkout", GuestCheckout, cell.GuestCheckout);
        Check("resale_allowed", ResaleAllowed, cell.ResaleAllowed);
        Check("dynamic_pricing_allowed", DynamicPricingAllowed, cell.DynamicPricingAllowed);
        Check("transfers_allowed", TransfersAllowed, cell.TransfersAllowed);
        if (ResalePriceCapPercent is < 0 || ResalePriceCapPercent > cell.ResalePriceCapPercent)
        {
            errors["resale_price_cap_percent"] = [$"0..{cell.ResalePriceCapPercent} (the cell's cap); a reseller may only lower it."];
        }

        return errors;
    }

    /// <summary>
    /// The value of boolean rule <paramref name="rule"/> for a reseller with this override: the cell's, turned off where
    /// the reseller turned it off (an override that would widen the cell is ignored).
    /// </summary>
    public bool Apply(string rule, CellRuleOptions cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return rule switch
        {
            RuleNames.GuestCheckout => cell.GuestCheckout && GuestCheckout != false,
            RuleNames.ResaleAllowed => cell.ResaleAllowed && ResaleAllowed != false,
            RuleNames.DynamicPricingAllowed => cell.DynamicPricingAllowed && DynamicPricingAllowed != false,
            RuleNames.TransfersAllowed => cell.TransfersAllowed && TransfersAllowed != false,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "not a boolean rule"),
        };
    }

    /// <summary>The resale price cap for a reseller with this override: the lower of the cell's and the reseller's.</summary>
    public int ApplyResalePriceCap(CellRuleOptions cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return ResalePriceCapPercent is { } own ? Math.Clamp(own, 0, cell.ResalePriceCapPercent) : cell.ResalePriceCapPercent;
    }
}
