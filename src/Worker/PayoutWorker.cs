using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Options;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers (one tenant scope each, so each gets its own fee plan) and posts the payouts that are
/// due (<see cref="PayoutScheduler"/>); a payout is posted once per event and day however often this runs.
/// </summary>
public sealed partial class PayoutWorker(
    IMultiTenantStore<ResellerTenantInfo> store,
    IMultiTenantContextAccessor<ResellerTenantInfo> accessor,
    IMultiTenantContextSetter<ResellerTenantInfo> setter,
    ResellerDataSources dataSources,
    IMultiTenantOptions<FeePlan> fees,
    IOptions<PayoutOptions> options,
    TimeProvider time,
    ILogger<PayoutWorker> logger) : BackgroundService
{
    /// <summary>When the last full pass over every reseller finished without error.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

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
                    var scheduler = new PayoutScheduler(await dataSources.GetAsync(reseller), time);
                    var posted = await scheduler.RunDueAsync(fees.Value, stoppingToken);
                    if (posted > 0)
                    {
                        LogPosted(logger, posted, reseller.Id);
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    failed = true;
                    LogFailed(logger, reseller.Id, ex.Message);
                }
            }

            if (!failed)
            {
                LastSuccess = time.GetUtcNow();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted {Count} payouts of reseller {Reseller}")]
    private static partial void LogPosted(ILogger logger, int count, string reseller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting payouts of reseller {Reseller} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string reseller, string error);
}
