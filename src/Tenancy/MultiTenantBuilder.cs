using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Tenancy.Strategies;

namespace TicketAspire.Tenancy;

/// <summary>Finbuckle-style registration DSL: <c>services.AddMultiTenant&lt;T&gt;().WithHostStrategy().WithStore(...)</c>.</summary>
public sealed class MultiTenantBuilder<T>(IServiceCollection services) where T : class, ITenantInfo
{
    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Adds a strategy.</summary>
    public MultiTenantBuilder<T> WithStrategy<TStrategy>() where TStrategy : class, IMultiTenantStrategy
    {
        Services.AddSingleton<IMultiTenantStrategy, TStrategy>();
        return this;
    }

    /// <summary>Adds a strategy instance.</summary>
    public MultiTenantBuilder<T> WithStrategy(IMultiTenantStrategy strategy)
    {
        Services.AddSingleton(strategy);
        return this;
    }

    /// <summary>Resolves from the request host (hosts listed per reseller in the store).</summary>
    public MultiTenantBuilder<T> WithHostStrategy() => WithStrategy<HostStrategy>();

    /// <summary>Resolves from a claim of the authenticated user.</summary>
    public MultiTenantBuilder<T> WithClaimStrategy(string claimType = ClaimStrategy.DefaultClaimType) =>
        WithStrategy(new ClaimStrategy(claimType));

    /// <summary>Always resolves <paramref name="identifier"/>.</summary>
    public MultiTenantBuilder<T> WithStaticStrategy(string identifier) => WithStrategy(new StaticStrategy(identifier));

    /// <summary>Uses <paramref name="store"/> for lookups (it must also map hosts if the host strategy is used).</summary>
    public MultiTenantBuilder<T> WithStore<TStore>(TStore store) where TStore : class, IMultiTenantStore<T>
    {
        Services.RemoveAll<IMultiTenantStore<T>>();
        Services.AddSingleton(store);
        Services.AddSingleton<IMultiTenantStore<T>>(store);
        if (store is ITenantHostLookup hosts)
        {
            Services.RemoveAll<ITenantHostLookup>();
            Services.AddSingleton(hosts);
        }

        return this;
    }
}

/// <summary>Entry point of the registration DSL.</summary>
public static class MultiTenantServiceCollectionExtensions
{
    /// <summary>Registers the accessor, the resolver and returns the builder for strategies and stores.</summary>
    public static MultiTenantBuilder<T> AddMultiTenant<T>(this IServiceCollection services) where T : class, ITenantInfo
    {
        services.TryAddSingleton<AsyncLocalMultiTenantContextAccessor<T>>();
        services.TryAddSingleton<IMultiTenantContextAccessor<T>>(sp => sp.GetRequiredService<AsyncLocalMultiTenantContextAccessor<T>>());
        services.TryAddSingleton<IMultiTenantContextSetter<T>>(sp => sp.GetRequiredService<AsyncLocalMultiTenantContextAccessor<T>>());
        services.TryAddSingleton<TenantResolver<T>>();
        return new MultiTenantBuilder<T>(services);
    }
}
