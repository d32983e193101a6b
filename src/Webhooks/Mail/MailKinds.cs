namespace TicketAspire.Webhooks.Mail;

/// <summary>The end-user e-mails and the outbox topics that call for them.</summary>
public static class MailKinds
{
    /// <summary>Order confirmation with the tickets (<c>order.confirmed</c>; sent again by support: <c>order.tickets_resent</c>).</summary>
    public const string OrderConfirmation = "order_confirmation";

    /// <summary>Refund processed (<c>order.refunded</c>).</summary>
    public const string RefundProcessed = "refund_processed";

    /// <summary>The order is held for a fraud review (<c>payment.fraud_flagged</c>).</summary>
    public const string FraudHold = "fraud_hold";

    /// <summary>A ticket sent to the recipient, with its claim token (<c>ticket.transfer_offered</c>).</summary>
    public const string TransferOffer = "transfer_offer";

    /// <summary>A lottery entrant's result: won (with the purchase window) or lost (<c>lottery.result</c>).</summary>
    public const string LotteryResult = "lottery_result";

    /// <summary>What changed about the ticket holder's event, before and after (<c>order.event_changed</c>).</summary>
    public const string EventChanged = "event_changed";

    /// <summary>The outbox topics that call for an e-mail, each with its kind.</summary>
    public static IReadOnlyList<string> Topics { get; } = ["order.confirmed", "order.refunded", "payment.fraud_flagged", "ticket.transfer_offered", "lottery.result", "order.event_changed", "order.tickets_resent"];

    /// <summary>The e-mail a topic calls for, or null.</summary>
    public static string? ForTopic(string topic) => topic switch
    {
        "order.confirmed" or "order.tickets_resent" => OrderConfirmation,
        "order.refunded" => RefundProcessed,
        "payment.fraud_flagged" => FraudHold,
        "ticket.transfer_offered" => TransferOffer,
        "lottery.result" => LotteryResult,
        "order.event_changed" => EventChanged,
        _ => null,
    };
}
