using TicketAspire.Tenancy.Stores;
using TicketAspire.Tenancy.Strategies;

namespace TicketAspire.Tenancy;

/// <summary>
/// Runs the strategies (highest priority first) and looks the identifier up in the store. Fails closed: when two
/// strategies name different tenants (a token of one reseller on another reseller's host) nothing is resolved.
/// </summary>
public sealed class TenantResolver<T>(IEnumerable<IMultiTenantStrategy> strategies, IMultiTenantStore<T> store)
    where T : class, ITenantInfo
{
    private readonly IMultiTenantStrategy[] _strategies = [.. strategies.OrderByDescending(s => s.Priority)];

    /// <summary>Resolves the tenant for <paramref name="context"/>; never returns null.</summary>
    public async Task<TenantResolution<T>> ResolveAsync(object context)
    {
        string? identifier = null;
        string? strategyName = null;
        foreach (var strategy in _strategies)
        {
            var candidate = await strategy.GetIdentifierAsync(context);
            if (candidate is null)
            {
                continue;
            }

            if (identifier is null)
            {
                (identifier, strategyName) = (candidate, strategy.Name);
            }
            else if (!string.Equals(identifier, candidate, StringComparison.Ordinal))
            {
                return new TenantResolution<T>(MultiTenantContext<T>.Unresolved, TenantResolutionFailure.Conflict);
            }
        }

        if (identifier is null)
        {
            return new TenantResolution<T>(MultiTenantContext<T>.Unresolved, TenantResolutionFailure.NoIdentifier);
        }

        var tenant = await store.GetByIdentifierAsync(identifier);
        return tenant is null
            ? new TenantResolution<T>(MultiTenantContext<T>.Unresolved, TenantResolutionFailure.UnknownTenant)
            : new TenantResolution<T>(new MultiTenantContext<T>(tenant, strategyName), TenantResolutionFailure.None);
    }
}

/// <summary>Why a resolution produced no tenant.</summary>
public enum TenantResolutionFailure
{
    /// <summary>Resolved.</summary>
    None = 0,

    /// <summary>No strategy produced an identifier.</summary>
    NoIdentifier = 1,

    /// <summary>The identifier names no tenant of this cell.</summary>
    UnknownTenant = 2,

    /// <summary>Strategies named different tenants.</summary>
    Conflict = 3,
}

/// <summary>A resolved (or unresolved) context and the reason for a failure.</summary>
public sealed record TenantResolution<T>(IMultiTenantContext<T> Context, TenantResolutionFailure Failure)
    where T : class, ITenantInfo;
