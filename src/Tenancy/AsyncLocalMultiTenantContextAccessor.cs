namespace TicketAspire.Tenancy;

/// <summary>Flows the tenant context with the async call, like Finbuckle's accessor.</summary>
public sealed class AsyncLocalMultiTenantContextAccessor<T> : IMultiTenantContextAccessor<T>, IMultiTenantContextSetter<T>
    where T : class, ITenantInfo
{
    private static readonly AsyncLocal<IMultiTenantContext<T>?> Current = new();

    /// <inheritdoc />
    public IMultiTenantContext<T> MultiTenantContext => Current.Value ?? MultiTenantContext<T>.Unresolved;

    /// <inheritdoc />
    public void SetContext(IMultiTenantContext<T> context) => Current.Value = context;
}
