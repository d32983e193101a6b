using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Worker;

/// <summary>
/// Per reseller, finishes the refunds left requested (the PSP did not answer, or an event was cancelled and every paid
/// order awaits its refund) and marks events that sold out. Only due refunds are taken: one the PSP did not answer waits
/// its backoff, one it refused is failed, so neither is taken again before the ones behind it.
/// </summary>
public sealed partial class RefundWorker(
    ResellerLoopContext loop,
    ResellerDataSources dataSources,
    ResellerRedisConnections redis,
    IPaymentGateway psp,
    IOptions<RefundWorkerOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<RefundWorker> logger) : ResellerLoop(loop, logger)
{
    /// <summary>Refunds completed since start.</summary>
    public long Completed { get; private set; }

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Refunds";

    protected override bool IsTransient(Exception ex) => base.IsTransient(ex) || ex is PaymentGatewayException;

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, CancellationToken ct)
    {
        var db = await dataSources.GetAsync(reseller);
        var cache = new InventoryCache(await redis.GetAsync(reseller), loggers.CreateLogger<InventoryCache>());
        var refunds = new RefundService(db, cache, psp, time, loggers.CreateLogger<RefundService>());
        RefundBatch batch;
        do
        {
            batch = await refunds.ProcessPendingAsync(options.Value.BatchSize, ct);
            Completed += batch.Succeeded;
            if (batch.Succeeded > 0)
            {
                LogCompleted(logger, batch.Succeeded, reseller.Id);
            }

            if (batch.Failed > 0)
            {
                LogFailed(logger, batch.Failed, reseller.Id);
            }
        }
        while (batch.Due == options.Value.BatchSize && batch.Postponed == 0);   // a full batch may have more behind it; an outage waits

        foreach (var eventId in await new SoldOutDetector(db, time).DetectAsync(ct))
        {
            LogSoldOut(logger, eventId, reseller.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Completed {Count} refunds of reseller {Reseller}")]
    private static partial void LogCompleted(ILogger logger, int count, string reseller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PSP refused {Count} refunds of reseller {Reseller} for good; they are failed (refund.failed)")]
    private static partial void LogFailed(ILogger logger, int count, string reseller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} of reseller {Reseller} sold out")]
    private static partial void LogSoldOut(ILogger logger, Guid eventId, string reseller);

}
