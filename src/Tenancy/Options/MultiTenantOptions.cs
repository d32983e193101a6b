using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TicketAspire.Tenancy.Options;

/// <summary>The options of the current tenant (Finbuckle's per-tenant options, as a separate interface).</summary>
public interface IMultiTenantOptions<out TOptions> where TOptions : class
{
    /// <summary>The current tenant's options; throws when no tenant is resolved (fail closed, no default tenant).</summary>
    TOptions Value { get; }
}

/// <summary>A per-tenant configuration step.</summary>
public sealed class TenantConfigureOptions<TOptions, TTenant>(Action<TOptions, TTenant> configure)
    where TOptions : class
    where TTenant : class, ITenantInfo
{
    /// <summary>Applies the step for <paramref name="tenant"/>.</summary>
    public void Configure(TOptions options, TTenant tenant) => configure(options, tenant);
}

/// <summary>
/// Builds each tenant's options once: the ordinary configuration of <typeparamref name="TOptions"/> (binding, defaults,
/// validation) followed by every per-tenant step, cached per tenant id.
/// </summary>
public sealed class MultiTenantOptionsCache<TOptions, TTenant>(
    IOptionsFactory<TOptions> factory,
    IEnumerable<TenantConfigureOptions<TOptions, TTenant>> steps)
    where TOptions : class
    where TTenant : class, ITenantInfo
{
    private readonly ConcurrentDictionary<string, TOptions> _cache = new(StringComparer.Ordinal);
    private readonly TenantConfigureOptions<TOptions, TTenant>[] _steps = [.. steps];

    /// <summary>The options of <paramref name="tenant"/>.</summary>
    public TOptions Get(TTenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _cache.GetOrAdd(tenant.Id, _ =>
        {
            var options = factory.Create(Microsoft.Extensions.Options.Options.DefaultName);
            foreach (var step in _steps)
            {
                step.Configure(options, tenant);
            }

            return options;
        });
    }

    /// <summary>Forgets every tenant's options (configuration changed).</summary>
    public void Clear() => _cache.Clear();
}

internal sealed class MultiTenantOptions<TOptions, TTenant>(
    MultiTenantOptionsCache<TOptions, TTenant> cache,
    IMultiTenantContextAccessor<TTenant> accessor) : IMultiTenantOptions<TOptions>
    where TOptions : class
    where TTenant : class, ITenantInfo
{
    public TOptions Value => cache.Get(accessor.MultiTenantContext.TenantInfo
        ?? throw new InvalidOperationException($"No tenant is resolved: per-tenant {typeof(TOptions).Name} has no default."));
}

/// <summary>Registration of per-tenant options.</summary>
public static class MultiTenantOptionsServiceCollectionExtensions
{
    /// <summary>Adds a per-tenant configuration step for <typeparamref name="TOptions"/> (Finbuckle's <c>ConfigurePerTenant</c>).</summary>
    public static IServiceCollection ConfigurePerTenant<TOptions, TTenant>(this IServiceCollection services, Action<TOptions, TTenant> configure)
        where TOptions : class
        where TTenant : class, ITenantInfo
    {
        services.AddOptions<TOptions>();
        services.AddSingleton(new TenantConfigureOptions<TOptions, TTenant>(configure));
        services.TryAddSingleton<MultiTenantOptionsCache<TOptions, TTenant>>();
        services.TryAddSingleton<IMultiTenantOptions<TOptions>, MultiTenantOptions<TOptions, TTenant>>();
        return services;
    }
}
