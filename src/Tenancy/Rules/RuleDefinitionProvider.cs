using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;

namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// The feature definitions of the cell rules, built from the cell's configuration and the resellers' overrides on every
/// evaluation (both are cached where they come from): each on/off rule is a flag filtered by <see cref="ResellerRuleFilter"/>;
/// each valued rule is always on with a <c>cell</c> variant carrying the cell's value and, for a reseller that lowered it,
/// a <c>reseller:&lt;id&gt;</c> variant allocated to that reseller's targeting group
/// (<see cref="ResellerTargetingContextAccessor"/>).
/// </summary>
public sealed class RuleDefinitionProvider(IOptionsMonitor<CellRuleOptions> cell, IRuleOverrideSource overrides) : IFeatureDefinitionProvider
{
    /// <summary>The variant every reseller without an override of its own gets.</summary>
    public const string CellVariant = "cell";

    /// <inheritdoc />
    public async Task<FeatureDefinition?> GetFeatureDefinitionAsync(string featureName)
    {
        if (RuleNames.Flags.Contains(featureName))
        {
            return new FeatureDefinition { Name = featureName, EnabledFor = [new FeatureFilterConfiguration { Name = ResellerRuleFilter.Alias }] };
        }

        var rules = cell.CurrentValue;
        return featureName switch
        {
            RuleNames.TaxRatePercent => Valued(featureName, rules.TaxRatePercent.ToString(CultureInfo.InvariantCulture), []),
            RuleNames.DataRetentionDays => Valued(featureName, I(rules.DataRetentionDays), []),
            RuleNames.DynamicPriceMinPercent => Valued(featureName, I(rules.DynamicPriceMinPercent), []),
            RuleNames.DynamicPriceMaxPercent => Valued(featureName, I(rules.DynamicPriceMaxPercent), []),
            RuleNames.ResalePriceCapPercent => Valued(featureName, I(rules.ResalePriceCapPercent),
                [.. (await overrides.GetAllAsync(CancellationToken.None))
                    .Where(o => o.Value.ResalePriceCapPercent is not null)
                    .Select(o => (o.Key, I(o.Value.ApplyResalePriceCap(rules))))]),
            _ => null,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        foreach (var name in RuleNames.Flags.Concat(RuleNames.Valued))
        {
            yield return (await GetFeatureDefinitionAsync(name))!;
        }
    }

    private static FeatureDefinition Valued(string name, string cellValue, IReadOnlyList<(string Reseller, string Value)> resellers) => new()
    {
        Name = name,
        EnabledFor = [new FeatureFilterConfiguration { Name = "AlwaysOn" }],
        Variants = [Variant(CellVariant, cellValue), .. resellers.Select(r => Variant("reseller:" + r.Reseller, r.Value))],
        Allocation = new Allocation
        {
            DefaultWhenEnabled = CellVariant,
            Group = [.. resellers.Select(r => new GroupAllocation { Variant = "reseller:" + r.Reseller, Groups = [r.Reseller] })],
        },
    };

    // a rule's value as configuration, built once per distinct value (holds read the dynamic price range on every claim)
    private static readonly ConcurrentDictionary<string, IConfigurationSection> Values = new(StringComparer.Ordinal);

    private static VariantDefinition Variant(string name, string value) => new()
    {
        Name = name,
        ConfigurationValue = Values.Count < 10_000
            ? Values.GetOrAdd(value, v => new ConfigurationBuilder().AddInMemoryCollection([new("value", v)]).Build().GetSection("value"))
            : new ConfigurationBuilder().AddInMemoryCollection([new("value", value)]).Build().GetSection("value"),
    };

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
