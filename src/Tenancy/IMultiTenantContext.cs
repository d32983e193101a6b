namespace TicketAspire.Tenancy;

/// <summary>The outcome of tenant resolution for the current unit of work.</summary>
public interface IMultiTenantContext<out T> where T : class, ITenantInfo
{
    /// <summary>The resolved tenant, or null when none was resolved.</summary>
    T? TenantInfo { get; }

    /// <summary>True when a tenant was resolved.</summary>
    bool IsResolved { get; }

    /// <summary>The strategy that produced the identifier, if any.</summary>
    string? StrategyName { get; }
}
