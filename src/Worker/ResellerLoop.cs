using Npgsql;
using StackExchange.Redis;
using TicketAspire.Inventory;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Holds;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Options;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Worker;

/// <summary>What every per-reseller loop needs: the cell's resellers and a way to enter one's tenant scope.</summary>
public sealed class ResellerLoopContext(
    IMultiTenantStore<ResellerTenantInfo> store,
    IMultiTenantContextAccessor<ResellerTenantInfo> accessor,
    IMultiTenantContextSetter<ResellerTenantInfo> setter,
    TimeProvider time)
{
    public IMultiTenantStore<ResellerTenantInfo> Store { get; } = store;

    public IMultiTenantContextAccessor<ResellerTenantInfo> Accessor { get; } = accessor;

    public IMultiTenantContextSetter<ResellerTenantInfo> Setter { get; } = setter;

    public TimeProvider Time { get; } = time;
}

/// <summary>
/// Service scopes for one reseller's share of a pass: a fresh scope whose inventory <see cref="ResellerScope"/> is open on
/// the reseller's database, Redis, hold limits and fees, so the loops resolve the same core services the API does.
/// </summary>
public sealed class ResellerScopes(
    IServiceScopeFactory scopes,
    ResellerDataSources dataSources,
    ResellerRedisConnections redis,
    IMultiTenantOptions<HoldOptions> holds,
    IMultiTenantOptions<FeePlan> fees)
{
    /// <summary>A service scope open for <paramref name="reseller"/>, which must be the current tenant (its options).</summary>
    public async Task<AsyncServiceScope> OpenAsync(ResellerTenantInfo reseller)
    {
        ArgumentNullException.ThrowIfNull(reseller);
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = await dataSources.GetAsync(reseller);
            IConnectionMultiplexer multiplexer = await redis.GetAsync(reseller);
            scope.ServiceProvider.GetRequiredService<ResellerScope>().Open(reseller.Id, db, multiplexer, holds.Value, fees.Value);
            return scope;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }
}

/// <summary>
/// A background loop over the cell's resellers: every <see cref="Interval"/> it runs <see cref="RunResellerAsync"/> once
/// per reseller inside that reseller's tenant scope (its per-tenant options, its log scope). A reseller whose storage
/// fails is logged and skipped until the next pass; <see cref="LastSuccess"/> says when a pass last went through for all.
/// </summary>
public abstract partial class ResellerLoop(ResellerLoopContext context, ResellerScopes scopes, ILogger logger) : BackgroundService
{
    /// <summary>When the last full pass over every reseller finished without error.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Pause between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What this loop does, for its log lines (<c>hold sweep</c>, <c>refunds</c>, …).</summary>
    protected abstract string Work { get; }

    /// <summary>One reseller's share of a pass; <paramref name="services"/> is a scope opened for the reseller.</summary>
    protected abstract Task RunResellerAsync(ResellerTenantInfo reseller, IServiceProvider services, CancellationToken ct);

    /// <summary>Failures that skip the reseller for this pass instead of stopping the loop.</summary>
    protected virtual bool IsTransient(Exception ex) => ex is NpgsqlException or TimeoutException;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, context.Time);
        do
        {
            var failed = false;
            foreach (var reseller in await context.Store.GetAllAsync())
            {
                using var scope = context.Setter.Use(reseller, context.Accessor);
                using var log = logger.BeginScope(new Dictionary<string, object> { ["reseller"] = reseller.Id, ["cell"] = reseller.Cell });
                try
                {
                    await using var services = await scopes.OpenAsync(reseller);
                    await RunResellerAsync(reseller, services.ServiceProvider, stoppingToken);
                }
                catch (Exception ex) when (IsTransient(ex))
                {
                    failed = true;
                    LogFailed(logger, Work, reseller.Id, ex.Message);
                }
            }

            if (!failed)
            {
                LastSuccess = context.Time.GetUtcNow();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Work} of reseller {Reseller} failed this pass: {Error}")]
    private static partial void LogFailed(ILogger logger, string work, string reseller, string error);
}
