namespace TicketAspire.Payments.Simulator.Model;

/// <summary>The webhook event types the simulator sends.</summary>
public static class EventTypes
{
    /// <summary>An intent was paid (synchronously or after processing).</summary>
    public const string PaymentSucceeded = "payment_intent.succeeded";

    /// <summary>An attempt was declined (synchronously or after processing).</summary>
    public const string PaymentFailed = "payment_intent.payment_failed";

    /// <summary>A refund succeeded; the object is the refund.</summary>
    public const string ChargeRefunded = "charge.refunded";

    /// <summary>A chargeback; the object is the dispute.</summary>
    public const string DisputeCreated = "charge.dispute.created";

    /// <summary>An early fraud warning; the object is the warning.</summary>
    public const string EarlyFraudWarningCreated = "radar.early_fraud_warning.created";
}
