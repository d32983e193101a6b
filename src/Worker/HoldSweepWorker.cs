using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Inventory.Services;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers (one tenant scope each) and sweeps their expired holds: seats freed, release
/// recorded in the reseller's outbox, availability cache invalidated. Correctness never waits for this: an expired hold's
/// seats are claimable the moment it expires.
/// </summary>
public sealed partial class HoldSweepWorker(
    IMultiTenantStore<ResellerTenantInfo> store,
    IMultiTenantContextAccessor<ResellerTenantInfo> accessor,
    IMultiTenantContextSetter<ResellerTenantInfo> setter,
    ResellerDataSources dataSources,
    ResellerRedisConnections redis,
    IOptions<SweepOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<HoldSweepWorker> logger) : BackgroundService
{
    /// <summary>When the last full pass over every reseller finished without error.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Holds released since start.</summary>
    public long Released { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            var failed = false;
            foreach (var reseller in await store.GetAllAsync())
            {
                using var scope = setter.Use(reseller, accessor);
                using var log = logger.BeginScope(new Dictionary<string, object> { ["reseller"] = reseller.Id, ["cell"] = reseller.Cell });
                try
                {
                    await SweepResellerAsync(reseller, stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    failed = true;
                    LogSweepFailed(logger, reseller.Id, ex.Message);
                }
            }

            if (!failed)
            {
                LastSuccess = time.GetUtcNow();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SweepResellerAsync(ResellerTenantInfo reseller, CancellationToken ct)
    {
        var db = await dataSources.GetAsync(reseller);
        var sweeper = new HoldSweeper(db, time);
        var cache = new InventoryCache(await redis.GetAsync(reseller), loggers.CreateLogger<InventoryCache>());
        await sweeper.PurgeIdempotencyKeysAsync(options.Value.BatchSize, ct);
        while (true)
        {
            var swept = await sweeper.SweepAsync(options.Value.BatchSize, ct);
            var count = swept.Values.Sum();
            foreach (var eventId in swept.Keys)
            {
                await cache.InvalidateAvailabilityAsync(eventId);
            }

            if (count > 0)
            {
                Released += count;
                LogReleased(logger, count, reseller.Id, swept.Count);
            }

            if (count < options.Value.BatchSize)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} expired holds of reseller {Reseller} across {Events} events")]
    private static partial void LogReleased(ILogger logger, int count, string reseller, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping reseller {Reseller} failed: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string reseller, string error);
}
