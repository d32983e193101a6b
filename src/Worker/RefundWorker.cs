using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Services;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Worker;

/// <summary>
/// Per reseller, finishes the refunds left requested (the PSP did not answer, or an event was cancelled and every paid
/// order awaits its refund) and marks events that sold out.
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
        int done;
        do
        {
            done = await refunds.ProcessPendingAsync(options.Value.BatchSize, ct);
            Completed += done;
            if (done > 0)
            {
                LogCompleted(logger, done, reseller.Id);
            }
        }
        while (done == options.Value.BatchSize);

        foreach (var eventId in await new SoldOutDetector(db, time).DetectAsync(ct))
        {
            LogSoldOut(logger, eventId, reseller.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Completed {Count} refunds of reseller {Reseller}")]
    private static partial void LogCompleted(ILogger logger, int count, string reseller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} of reseller {Reseller} sold out")]
    private static partial void LogSoldOut(ILogger logger, Guid eventId, string reseller);

}
