using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Waitlist;
using TicketAspire.Tenancy;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers: admits the next customers of every open waiting room at its rate, and offers units
/// that came back to the next waitlist entries as short holds.
/// </summary>
public sealed partial class WaitingRoomWorker(
    ResellerLoopContext loop,
    ResellerScopes scopes,
    IOptions<WaitingRoomOptions> options,
    ILogger<WaitingRoomWorker> logger) : ResellerLoop(loop, scopes, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Waiting room and waitlist";

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, IServiceProvider services, CancellationToken ct)
    {
        var admitted = await services.GetRequiredService<WaitingRoomService>().AdmitDueAsync(ct);
        if (admitted > 0)
        {
            LogAdmitted(logger, admitted, reseller.Id);
        }

        var drawn = await services.GetRequiredService<LotteryService>().DrawDueAsync(ct);
        if (drawn > 0)
        {
            LogDrawn(logger, drawn, reseller.Id);
        }

        var offers = await services.GetRequiredService<WaitlistService>().OfferAsync(services.GetRequiredService<HoldService>(), options.Value.OfferSeconds, ct);
        foreach (var offer in offers)
        {
            LogOffered(logger, offer.EntryId, offer.HoldId, reseller.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted {Count} queued customers of reseller {Reseller}")]
    private static partial void LogAdmitted(ILogger logger, int count, string reseller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drew {Count} lotteries of reseller {Reseller}")]
    private static partial void LogDrawn(ILogger logger, int count, string reseller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Offered waitlist entry {Entry} hold {Hold} of reseller {Reseller}")]
    private static partial void LogOffered(ILogger logger, Guid entry, Guid hold, string reseller);

}
