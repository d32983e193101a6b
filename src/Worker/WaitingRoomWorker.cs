using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Services;
using TicketAspire.Inventory.Waitlist;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers: admits the next customers of every open waiting room at its rate, and offers units
/// that came back to the next waitlist entries as short holds.
/// </summary>
public sealed partial class WaitingRoomWorker(
    IMultiTenantStore<ResellerTenantInfo> store,
    IMultiTenantContextAccessor<ResellerTenantInfo> accessor,
    IMultiTenantContextSetter<ResellerTenantInfo> setter,
    ResellerDataSources dataSources,
    ResellerRedisConnections redis,
    AdmissionTokens tokens,
    WaitingRoomCache rooms,
    IOptions<WaitingRoomOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<WaitingRoomWorker> logger) : BackgroundService
{
    /// <summary>Offer holds never need admission: they are made without a gate; their length is validated against these.</summary>
    private static readonly HoldOptions OfferHoldOptions = new() { MinExpireSeconds = 1, DefaultExpireSeconds = 300, MaxExpireSeconds = 86_400 };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            foreach (var reseller in await store.GetAllAsync())
            {
                using var scope = setter.Use(reseller, accessor);
                try
                {
                    await RunAsync(reseller, stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    LogFailed(logger, reseller.Id, ex.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunAsync(ResellerTenantInfo reseller, CancellationToken ct)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting rooms of reseller {Reseller} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string reseller, string error);
}
