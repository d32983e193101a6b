using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Tenancy;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers (one tenant scope each) and sweeps their expired holds: seats freed, release
/// recorded in the reseller's outbox, availability cache invalidated. Correctness never waits for this: an expired hold's
/// seats are claimable the moment it expires.
/// </summary>
public sealed partial class HoldSweepWorker(
    ResellerLoopContext loop,
    ResellerScopes scopes,
    IOptions<SweepOptions> options,
    ILogger<HoldSweepWorker> logger) : ResellerLoop(loop, scopes, logger)
{
    /// <summary>Holds released since start.</summary>
    public long Released { get; private set; }

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Hold sweep";

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, IServiceProvider services, CancellationToken ct)
    {
        var sweeper = services.GetRequiredService<HoldSweeper>();
        var cache = services.GetRequiredService<InventoryCache>();
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

}
