using System.Collections.Concurrent;
using TicketAspire.Inventory.Fees;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.Api.Infrastructure.Rules;

/// <summary>
/// The current reseller's fee plan with the tax rate of the rules that apply to it: its fees from configuration
/// (<c>Fees</c>, <c>Resellers:&lt;id&gt;:Fees</c>) and <see cref="RuleNames.TaxRatePercent"/> through
/// <see cref="RuleBook"/>, the same source as <c>GET /v1/rules</c>, so a quote and the rules never disagree. Each
/// reseller's plan is kept for <see cref="CatalogRuleOverrides.CacheFor"/>: a request costs a dictionary lookup, and a
/// changed rule (a reloaded cell configuration) reaches the quotes within that time, without a restart.
/// </summary>
public sealed class RuleFeePlans(
    IMultiTenantOptions<FeePlan> fees, RuleBook rules, IMultiTenantContextAccessor<ResellerTenantInfo> tenants, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _plans = new(StringComparer.Ordinal);

    /// <summary>The fee plan of the current reseller (one must be resolved).</summary>
    public ValueTask<FeePlan> GetAsync(CancellationToken ct)
    {
        var reseller = tenants.MultiTenantContext.TenantInfo
            ?? throw new InvalidOperationException("No reseller is resolved: a fee plan is a reseller's.");
        var configured = fees.Value;
        return _plans.TryGetValue(reseller.Id, out var entry) && ReferenceEquals(entry.Configured, configured) && time.GetUtcNow() - entry.ReadAt < CatalogRuleOverrides.CacheFor
            ? ValueTask.FromResult(entry.Plan)
            : ReadAsync(reseller.Id, configured, entry, ct);
    }

    private async ValueTask<FeePlan> ReadAsync(string resellerId, FeePlan configured, Entry? previous, CancellationToken ct)
    {
        var tax = await rules.TaxRatePercentAsync(ct);
        // the same plan object while nothing changed
        var plan = previous is not null && ReferenceEquals(previous.Configured, configured) && previous.Plan.TaxRatePercent == tax
            ? previous.Plan
            : configured.WithTaxRate(tax);
        _plans[resellerId] = new Entry(configured, plan, time.GetUtcNow());
        return plan;
    }

    private sealed record Entry(FeePlan Configured, FeePlan Plan, DateTimeOffset ReadAt);
}
