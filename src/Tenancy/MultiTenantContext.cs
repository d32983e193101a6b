namespace TicketAspire.Tenancy;

/// <inheritdoc />
public sealed record MultiTenantContext<T>(T? TenantInfo, string? StrategyName = null) : IMultiTenantContext<T>
    where T : class, ITenantInfo
{
    /// <summary>The context of a unit of work that has no tenant.</summary>
    public static MultiTenantContext<T> Unresolved { get; } = new(TenantInfo: null);

    /// <inheritdoc />
    public bool IsResolved => TenantInfo is not null;
}
