using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Waitlist;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers: admits the next customers of every open waiting room at its rate, and offers units
/// that came back to the next waitlist entries as short holds.
/// </summary>
public sealed partial class WaitingRoomWorker(
    ResellerLoopContext loop,
    ResellerDataSources dataSources,
    ResellerRedisConnections redis,
    AdmissionTokens tokens,
    WaitingRoomCache rooms,
    IOptions<WaitingRoomOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<WaitingRoomWorker> logger) : ResellerLoop(loop, logger)
{
    /// <summary>Offer holds never need admission: they are made without a gate; their length is validated against these.</summary>
    private static readonly HoldOptions OfferHoldOptions = new() { MinExpireSeconds = 1, DefaultExpireSeconds = 300, MaxExpireSeconds = 86_400 };

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Waiting room and waitlist";

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, CancellationToken ct)
    {
        var db = await dataSources.GetAsync(reseller);
        var admitted = await new WaitingRoomService(db, tokens, reseller.Id, rooms, time).AdmitDueAsync(ct);
        if (admitted > 0)
        {
            LogAdmitted(logger, admitted, reseller.Id);
        }

        var cache = new InventoryCache(await redis.GetAsync(reseller), loggers.CreateLogger<InventoryCache>());
        var holds = new HoldService(db, cache, time, OfferHoldOptions);
        foreach (var offer in await new WaitlistService(db, time).OfferAsync(holds, options.Value.OfferSeconds, ct))
        {
            LogOffered(logger, offer.EntryId, offer.HoldId, reseller.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted {Count} queued customers of reseller {Reseller}")]
    private static partial void LogAdmitted(ILogger logger, int count, string reseller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Offered waitlist entry {Entry} hold {Hold} of reseller {Reseller}")]
    private static partial void LogOffered(ILogger logger, Guid entry, Guid hold, string reseller);

}
