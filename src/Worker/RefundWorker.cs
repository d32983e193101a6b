using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Events;
using TicketAspire.Tenancy;

namespace TicketAspire.Worker;

/// <summary>
/// Per reseller, finishes the refunds left requested (the PSP did not answer, or an event was cancelled and every paid
/// order awaits its refund) and marks events that sold out. Only due refunds are taken: one the PSP did not answer waits
/// its backoff, one it refused is failed, so neither is taken again before the ones behind it.
/// </summary>
public sealed partial class RefundWorker(
    ResellerLoopContext loop,
    ResellerScopes scopes,
    IOptions<RefundWorkerOptions> options,
    ILogger<RefundWorker> logger) : ResellerLoop(loop, scopes, logger)
{
    /// <summary>Refunds completed since start.</summary>
    public long Completed { get; private set; }

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Refunds";

    protected override bool IsTransient(Exception ex) => base.IsTransient(ex) || ex is PaymentGatewayException;

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, IServiceProvider services, CancellationToken ct)
    {
        var refunds = services.GetRequiredService<RefundService>();
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

        foreach (var eventId in await services.GetRequiredService<SoldOutDetector>().DetectAsync(ct))
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
