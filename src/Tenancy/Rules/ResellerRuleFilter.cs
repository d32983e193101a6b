using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;

namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// Evaluates an on/off cell rule (the feature's name, <see cref="RuleNames.Flags"/>) for the current reseller: the cell's
/// value from configuration, turned off where the reseller's override turns it off (<see cref="RuleOverride.Apply"/>).
/// Without a resolved reseller the cell's value applies.
/// </summary>
[FilterAlias(Alias)]
public sealed class ResellerRuleFilter(
    IMultiTenantContextAccessor<ResellerTenantInfo> tenants, IOptionsMonitor<CellRuleOptions> cell, IRuleOverrideSource overrides) : IFeatureFilter
{
    /// <summary>The filter's name in feature definitions.</summary>
    public const string Alias = "ResellerRule";

    /// <inheritdoc />
    public async Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reseller = tenants.MultiTenantContext.TenantInfo;
        var own = reseller is null ? RuleOverride.None
            : (await overrides.GetAllAsync(context.CancellationToken)).GetValueOrDefault(reseller.Id, RuleOverride.None);
        return own.Apply(context.FeatureName, cell.CurrentValue);
    }
}
