namespace TicketAspire.Webhooks.Model;

/// <summary>
/// The event types an endpoint can subscribe to: the outbox topics of <c>docs/payments.md</c> §5, the contract with the
/// code that writes them.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>Every known event type, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "event.created", "event.updated", "event.cancelled", "event.sold_out",
        "hold.created", "hold.cancelled", "hold.expired",
        "order.confirmed", "order.refunded", "order.event_changed", "order.tickets_resent", "refund.failed",
        "payment.failed", "payment.fraud_flagged", "payment.chargeback",
        "payout.scheduled",
        "waitlist.offered",
        "lottery.drawn", "lottery.result",
        "support_ticket.replied",
        "group_quote.created", "group_quote.paid", "group_quote.released", "group_quote.cancelled",
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    /// <summary>True when <paramref name="type"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string type) => Known.Contains(type);
}
