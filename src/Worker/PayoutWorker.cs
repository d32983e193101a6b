using Microsoft.Extensions.Options;
using TicketAspire.Inventory;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Tenancy;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers (one tenant scope each, so each gets its own fee plan) and posts the payouts that are
/// due (<see cref="PayoutScheduler"/>); a payout is posted once per event and day however often this runs.
/// </summary>
public sealed partial class PayoutWorker(
    ResellerLoopContext loop,
    ResellerScopes scopes,
    IOptions<PayoutOptions> options,
    ILogger<PayoutWorker> logger) : ResellerLoop(loop, scopes, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Payouts";

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, IServiceProvider services, CancellationToken ct)
    {
        var posted = await services.GetRequiredService<PayoutScheduler>().RunDueAsync(services.GetRequiredService<ResellerScope>().Fees, ct);
        if (posted > 0)
        {
            LogPosted(logger, posted, reseller.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted {Count} payouts of reseller {Reseller}")]
    private static partial void LogPosted(ILogger logger, int count, string reseller);

}
