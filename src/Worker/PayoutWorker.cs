using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers (one tenant scope each, so each gets its own fee plan) and posts the payouts that are
/// due (<see cref="PayoutScheduler"/>); a payout is posted once per event and day however often this runs.
/// </summary>
public sealed partial class PayoutWorker(
    ResellerLoopContext loop,
    ResellerDataSources dataSources,
    IMultiTenantOptions<FeePlan> fees,
    IOptions<PayoutOptions> options,
    TimeProvider time,
    ILogger<PayoutWorker> logger) : ResellerLoop(loop, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Payouts";

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, CancellationToken ct)
    {
        var scheduler = new PayoutScheduler(await dataSources.GetAsync(reseller), time);
        var posted = await scheduler.RunDueAsync(fees.Value, ct);
        if (posted > 0)
        {
            LogPosted(logger, posted, reseller.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted {Count} payouts of reseller {Reseller}")]
    private static partial void LogPosted(ILogger logger, int count, string reseller);

}
