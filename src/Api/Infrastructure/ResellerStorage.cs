using Npgsql;
using StackExchange.Redis;
using TicketAspire.Api.Infrastructure.Rules;
using TicketAspire.Inventory;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Api.Infrastructure;

/// <summary>
/// The request's reseller and its storage: the tenant resolved by the tenancy middleware and the inventory core's
/// <see cref="ResellerScope"/> (its database, its Redis as a cache, its hold limits and fees), opened before the endpoint.
/// </summary>
public sealed class ResellerStorage(
    IMultiTenantContextAccessor<ResellerTenantInfo> accessor, ResellerScope scope, IMultiTenantOptions<HoldOptions> holds, RuleFeePlans fees)
{
    /// <summary>The reseller of the request (the tenancy middleware guarantees one).</summary>
    public ResellerTenantInfo Tenant => accessor.MultiTenantContext.TenantInfo
        ?? throw new InvalidOperationException("No reseller was resolved for this request.");

    /// <summary>The reseller's database.</summary>
    public NpgsqlDataSource Db => scope.Db;

    /// <summary>The reseller's Redis as a cache.</summary>
    public InventoryCache Cache => scope.Cache;

    /// <summary>Opens the reseller's storage from the registries, with its fee plan under the rules' tax rate.</summary>
    public async Task OpenAsync(ResellerDataSources dataSources, ResellerRedisConnections redis, CancellationToken ct)
    {
        var tenant = Tenant;
        var db = await dataSources.GetAsync(tenant);
        IConnectionMultiplexer multiplexer = await redis.GetAsync(tenant);
        scope.Open(tenant.Id, db, multiplexer, holds.Value, await fees.GetAsync(ct));
    }
}

/// <summary>
/// Opens the resolved reseller's storage before the endpoint runs; while its database is known to be out of reach the
/// request is answered <c>503 database_unavailable</c> here (<see cref="DatabaseGate"/>).
/// </summary>
public sealed class ResellerStorageMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(
        HttpContext context,
        IMultiTenantContextAccessor<ResellerTenantInfo> accessor,
        ResellerStorage storage,
        ResellerDataSources dataSources,
        ResellerRedisConnections redis)
    {
        if (!accessor.MultiTenantContext.IsResolved)
        {
            // no endpoint matched (routing answers 404) or the endpoint runs without a reseller
            await next(context);
            return;
        }

        await storage.OpenAsync(dataSources, redis, context.RequestAborted);
        if (!await DatabaseGate.TryEnterAsync(context, dataSources, storage.Tenant))
        {
            // the reseller's database is known to be out of reach: 503 at once, nothing queues behind it
            return;
        }

        using (context.RequestServices.GetRequiredService<ILogger<ResellerStorageMiddleware>>()
            .BeginScope(new Dictionary<string, object> { ["reseller"] = storage.Tenant.Id, ["cell"] = storage.Tenant.Cell }))
        {
            await DatabaseGate.RunAsync(context, next, dataSources.RetryAfter);
        }
    }
}
