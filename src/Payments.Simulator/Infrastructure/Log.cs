using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>One log line per state change.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Payment intent {IntentId} created: {Amount} {Currency}")]
    public static partial void IntentCreated(ILogger logger, string intentId, long amount, string currency);

    [LoggerMessage(2, LogLevel.Information, "Payment intent {IntentId} confirmed (attempt {Attempt}): {Status}")]
    public static partial void IntentConfirmed(ILogger logger, string intentId, int attempt, PaymentIntentStatus status);

    [LoggerMessage(3, LogLevel.Information, "Payment intent {IntentId} declined (attempt {Attempt}): {DeclineCode}")]
    public static partial void IntentDeclined(ILogger logger, string intentId, int attempt, string? declineCode);

    [LoggerMessage(4, LogLevel.Information, "Payment intent {IntentId} resolved after processing: {Status}")]
    public static partial void IntentResolved(ILogger logger, string intentId, PaymentIntentStatus status);

    [LoggerMessage(5, LogLevel.Information, "Refund {RefundId} of {Amount} for payment intent {IntentId} succeeded")]
    public static partial void RefundSucceeded(ILogger logger, string refundId, long amount, string intentId);

    [LoggerMessage(6, LogLevel.Information, "Dispute {DisputeId} opened for payment intent {IntentId}")]
    public static partial void DisputeCreated(ILogger logger, string disputeId, string intentId);

    [LoggerMessage(7, LogLevel.Information, "Early fraud warning {WarningId} for payment intent {IntentId}")]
    public static partial void FraudWarningCreated(ILogger logger, string warningId, string intentId);

    [LoggerMessage(8, LogLevel.Information, "Webhook {EventId} ({Type}) delivered on attempt {Attempt}")]
    public static partial void WebhookDelivered(ILogger logger, string eventId, string type, int attempt);

    [LoggerMessage(9, LogLevel.Warning, "Webhook {EventId} ({Type}) attempt {Attempt} failed ({Error}); next in {Delay}")]
    public static partial void WebhookRetry(ILogger logger, string eventId, string type, int attempt, string error, TimeSpan delay);

    [LoggerMessage(10, LogLevel.Error, "Webhook {EventId} ({Type}) failed after {Attempt} attempts ({Error})")]
    public static partial void WebhookFailed(ILogger logger, string eventId, string type, int attempt, string error);

    [LoggerMessage(11, LogLevel.Information, "Fault armed: the next {Count} {Operation} calls answer {Kind}")]
    public static partial void FaultArmed(ILogger logger, int count, string operation, string kind);

    [LoggerMessage(13, LogLevel.Error, "Scanning the {What} failed; retrying")]
    public static partial void ScanFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(12, LogLevel.Error, "Scheduled work {WorkId} ({Kind}) for payment intent {IntentId} failed")]
    public static partial void WorkFailed(ILogger logger, Exception exception, long workId, string kind, string intentId);
}
