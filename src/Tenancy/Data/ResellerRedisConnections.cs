using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace TicketAspire.Tenancy.Data;

/// <summary>
/// One Redis connection per reseller, to that reseller's own server. Connections are made without aborting on failure:
/// Redis being down never stops a request that can do without it.
/// </summary>
public sealed class ResellerRedisConnections(
    IConfiguration configuration,
    IOptions<ResellerStorageOptions> options,
    TimeProvider time) : IdleRegistry<ConnectionMultiplexerHandle>(time, options.Value)
{
    /// <summary>The reseller's Redis connection (possibly not connected yet: callers treat Redis as optional).</summary>
    public async ValueTask<IConnectionMultiplexer> GetAsync(ResellerTenantInfo tenant) =>
        (await GetOrCreateAsync(tenant)).Multiplexer;

    /// <summary>The configured endpoint of a reseller's Redis.</summary>
    public string ConnectionStringFor(ResellerTenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        // a reseller of the cell file: the endpoint the AppHost passed; one onboarded at run time: the catalog's
        return configuration.GetConnectionString(tenant.RedisConnectionName)
            ?? tenant.RedisEndpoint
            ?? throw new InvalidOperationException($"ConnectionStrings:{tenant.RedisConnectionName} is not configured for reseller '{tenant.Id}'.");
    }

    /// <inheritdoc />
    protected override async Task<ConnectionMultiplexerHandle> CreateAsync(ResellerTenantInfo tenant)
    {
        var config = ConfigurationOptions.Parse(ConnectionStringFor(tenant));
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = 2000;
        config.SyncTimeout = 1000;
        config.AsyncTimeout = 1000;
        config.ClientName = $"ticketaspire-{tenant.Cell}-{tenant.Id}";
        return new ConnectionMultiplexerHandle(await ConnectionMultiplexer.ConnectAsync(config));
    }
}

/// <summary>Adapts a multiplexer to <see cref="IAsyncDisposable"/> for the registry.</summary>
public sealed class ConnectionMultiplexerHandle(IConnectionMultiplexer multiplexer) : IAsyncDisposable
{
    /// <summary>The connection.</summary>
    public IConnectionMultiplexer Multiplexer { get; } = multiplexer;

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Multiplexer.CloseAsync();
}
