using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy;

/// <summary>Registrations for services that run inside a cell.</summary>
public static class TenancyServiceCollectionExtensions
{
    /// <summary>
    /// Uses the cell catalog database as the reseller store (loaded before start, refreshed periodically).
    /// </summary>
    public static MultiTenantBuilder<ResellerTenantInfo> WithCatalogStore(this MultiTenantBuilder<ResellerTenantInfo> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ResellerStorageOptions>>().Value;
            var server = sp.GetRequiredService<IConfiguration>().GetConnectionString(options.PostgresConnectionName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{options.PostgresConnectionName} is not configured.");
            var cs = new NpgsqlConnectionStringBuilder(server)
            {
                Database = CatalogDataSource.DatabaseName,
                MaxPoolSize = 4,
                Timeout = ResellerStorageOptions.Seconds(options.ConnectTimeout),
                CommandTimeout = ResellerStorageOptions.Seconds(options.CommandTimeout),
            };
            return new CatalogDataSource(NpgsqlDataSource.Create(cs.ConnectionString));
        });
        services.TryAddSingleton<CatalogStore>();
        services.AddHostedService<CatalogRefreshService>();
        services.AddSingleton<Stores.IMultiTenantStore<ResellerTenantInfo>>(sp => sp.GetRequiredService<CatalogStore>());
        services.AddSingleton<Stores.ITenantHostLookup>(sp => sp.GetRequiredService<CatalogStore>());
        return builder;
    }

    /// <summary>
    /// Registers the per-reseller registries of Postgres data sources and Redis connections, and the idle evictor.
    /// </summary>
    public static IServiceCollection AddResellerStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResellerStorageOptions>()
            .Bind(configuration.GetSection(nameof(ResellerStorageOptions)))
            .Validate(o => o.IsValid(),
                "ResellerStorageOptions: MaxPoolSizePerReseller 1..1000, ConnectTimeout and CommandTimeout at least 1 s, ProbeInterval > 0, RetryAfter at least 1 s")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResellerDataSources>();
        services.TryAddSingleton<ResellerRedisConnections>();
        services.AddHostedService<IdleEvictionService>();
        return services;
    }
}

/// <summary>Closes idle per-reseller connections once a minute.</summary>
internal sealed class IdleEvictionService(ResellerDataSources dataSources, ResellerRedisConnections redis, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            dataSources.EvictIdle();
            redis.EvictIdle();
        }
    }
}
