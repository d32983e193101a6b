using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;

namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// The one way the API reads a cell rule: through Microsoft.FeatureManagement, for the current reseller (the cell's
/// value, narrowed by the reseller's override where the cell lets it choose).
/// </summary>
public sealed class RuleBook(IVariantFeatureManager features, IOptions<CellOptions> cell)
{
    /// <summary>True when buyers may hold seats without an account of the reseller.</summary>
    public ValueTask<bool> GuestCheckoutAsync(CancellationToken ct) => features.IsEnabledAsync(RuleNames.GuestCheckout, ct);

    /// <summary>The tax on the ticket price, percent, for the current reseller (its fee plan's).</summary>
    public ValueTask<decimal> TaxRatePercentAsync(CancellationToken ct) => ValueAsync(RuleNames.TaxRatePercent, ct);

    /// <summary>
    /// The dynamic price range of the current reseller, percent of face value, or null where dynamic pricing is off (the
    /// jurisdiction forbids it, or the reseller turned it off).
    /// </summary>
    public async ValueTask<DynamicPriceRange?> DynamicPricingAsync(CancellationToken ct) =>
        await features.IsEnabledAsync(RuleNames.DynamicPricingAllowed, ct)
            ? new DynamicPriceRange((int)await ValueAsync(RuleNames.DynamicPriceMinPercent, ct), (int)await ValueAsync(RuleNames.DynamicPriceMaxPercent, ct))
            : null;

    /// <summary>True when tickets may be resold for the current reseller.</summary>
    public ValueTask<bool> ResaleAllowedAsync(CancellationToken ct) => features.IsEnabledAsync(RuleNames.ResaleAllowed, ct);

    /// <summary>True when tickets may be transferred to another person for the current reseller.</summary>
    public ValueTask<bool> TransfersAllowedAsync(CancellationToken ct) => features.IsEnabledAsync(RuleNames.TransfersAllowed, ct);

    /// <summary>The highest resale price, percent of face value, for the current reseller.</summary>
    public async ValueTask<int> ResalePriceCapPercentAsync(CancellationToken ct) => (int)await ValueAsync(RuleNames.ResalePriceCapPercent, ct);

    /// <summary>Every rule that applies to the current reseller.</summary>
    public async Task<AppliedRules> GetAsync(CancellationToken ct) => new(
        cell.Value.Id,
        cell.Value.Currency,
        await features.IsEnabledAsync(RuleNames.GuestCheckout, ct),
        await features.IsEnabledAsync(RuleNames.ResaleAllowed, ct),
        (int)await ValueAsync(RuleNames.ResalePriceCapPercent, ct),
        await features.IsEnabledAsync(RuleNames.TransfersAllowed, ct),
        await features.IsEnabledAsync(RuleNames.DynamicPricingAllowed, ct),
        (int)await ValueAsync(RuleNames.DynamicPriceMinPercent, ct),
        (int)await ValueAsync(RuleNames.DynamicPriceMaxPercent, ct),
        (int)await ValueAsync(RuleNames.DataRetentionDays, ct),
        await ValueAsync(RuleNames.TaxRatePercent, ct));

    private async ValueTask<decimal> ValueAsync(string rule, CancellationToken ct)
    {
        var variant = await features.GetVariantAsync(rule, ct)
            ?? throw new InvalidOperationException($"The rule {rule} has no variant.");
        return decimal.Parse(variant.Configuration.Value!, CultureInfo.InvariantCulture);
    }
}

/// <summary>The rules that apply to a reseller (GET /v1/rules).</summary>
/// <param name="Cell">The jurisdiction cell.</param>
/// <param name="Currency">ISO 4217 currency of every price.</param>
/// <param name="GuestCheckout">Buyers may hold and buy without an account; otherwise a signed-in end user is needed.</param>
/// <param name="ResaleAllowed">Tickets may be resold.</param>
/// <param name="ResalePriceCapPercent">Highest resale price, percent of face value.</param>
/// <param name="TransfersAllowed">Tickets may be transferred to another person by e-mail.</param>
/// <param name="DynamicPricingAllowed">Prices may change with demand (events that opt in; the worker's multiplier).</param>
/// <param name="DynamicPriceMinPercent">Lowest dynamic price, percent of face value (the jurisdiction's).</param>
/// <param name="DynamicPriceMaxPercent">Highest dynamic price, percent of face value (the jurisdiction's).</param>
/// <param name="DataRetentionDays">Days personal data is kept (the worker's retention pass erases it after that).</param>
/// <param name="TaxRatePercent">Tax on the ticket price, percent.</param>
public sealed record AppliedRules(
    string Cell, string Currency, bool GuestCheckout, bool ResaleAllowed, int ResalePriceCapPercent, bool TransfersAllowed, bool DynamicPricingAllowed,
    int DynamicPriceMinPercent, int DynamicPriceMaxPercent, int DataRetentionDays, decimal TaxRatePercent);
