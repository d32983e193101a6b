namespace TicketAspire.Tenancy;

/// <summary>Helpers for work that runs for one tenant at a time outside a request (the worker, migrations, tests).</summary>
public static class TenantScope
{
    /// <summary>
    /// Makes <paramref name="tenant"/> current until the returned scope is disposed; the previous context comes back then.
    /// This is the static strategy of Finbuckle, applied per iteration.
    /// </summary>
    public static IDisposable Use<T>(this IMultiTenantContextSetter<T> setter, T tenant, IMultiTenantContextAccessor<T> accessor)
        where T : class, ITenantInfo
    {
        ArgumentNullException.ThrowIfNull(setter);
        ArgumentNullException.ThrowIfNull(accessor);
        var previous = accessor.MultiTenantContext;
        setter.SetContext(new MultiTenantContext<T>(tenant, "static"));
        return new Restore<T>(setter, previous);
    }

    private sealed class Restore<T>(IMultiTenantContextSetter<T> setter, IMultiTenantContext<T> previous) : IDisposable
        where T : class, ITenantInfo
    {
        public void Dispose() => setter.SetContext(previous);
    }
}
