using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Pricing;
using TicketAspire.Tenancy;

namespace TicketAspire.Worker;

/// <summary>
/// Every <see cref="PricingOptions.Interval"/>, recomputes the price multiplier of each reseller's opted-in events from
/// their demand (<see cref="DemandPricer"/>), within the range the reseller's rules give (<see cref="IPriceRules"/>:
/// the cell's <c>dynamic_pricing_allowed</c> and price range, narrowed by the reseller's override, read again each pass,
/// so a changed override applies without a restart). Where dynamic pricing is off for a reseller, its multipliers are
/// reset to face value.
/// </summary>
public sealed partial class PricingWorker(
    ResellerLoopContext context, ResellerScopes scopes, IPriceRules rules, IOptions<PricingOptions> options, ILogger<PricingWorker> logger)
    : ResellerLoop(context, scopes, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Dynamic pricing";

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, IServiceProvider services, CancellationToken ct)
    {
        var range = await rules.DynamicPricingAsync(ct);
        var prices = await services.GetRequiredService<DemandPricer>().RunAsync(range, options.Value, ct);
        if (prices.Count > 0)
        {
            LogPass(logger, reseller.Id, prices.Count, prices.Min(p => p.Multiplier), prices.Max(p => p.Multiplier));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dynamic pricing of reseller {Reseller}: {Events} events, multipliers {Min}..{Max} bp")]
    private static partial void LogPass(ILogger logger, string reseller, int events, int min, int max);
}
