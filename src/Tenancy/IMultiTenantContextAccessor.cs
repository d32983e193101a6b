namespace TicketAspire.Tenancy;

/// <summary>Gives the current tenant context; never null (an unresolved context when no tenant is set).</summary>
public interface IMultiTenantContextAccessor<out T> where T : class, ITenantInfo
{
    /// <summary>The current context.</summary>
    IMultiTenantContext<T> MultiTenantContext { get; }
}

/// <summary>Sets the current tenant context (middleware, worker loops, tests).</summary>
public interface IMultiTenantContextSetter<T> where T : class, ITenantInfo
{
    /// <summary>Makes <paramref name="context"/> current for the calling async flow.</summary>
    void SetContext(IMultiTenantContext<T> context);
}
