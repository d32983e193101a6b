using Microsoft.FeatureManagement.FeatureFilters;

namespace TicketAspire.Tenancy.Rules;

/// <summary>Targets rule variants at the current reseller: its id is the targeting group (<c>acme</c>, <c>initech</c>, …).</summary>
public sealed class ResellerTargetingContextAccessor(IMultiTenantContextAccessor<ResellerTenantInfo> tenants) : ITargetingContextAccessor
{
    /// <inheritdoc />
    public ValueTask<TargetingContext> GetContextAsync()
    {
        var reseller = tenants.MultiTenantContext.TenantInfo;
        return ValueTask.FromResult(reseller is null
            ? new TargetingContext { Groups = [] }
            : new TargetingContext { UserId = "reseller:" + reseller.Id, Groups = [reseller.Id] });
    }
}
