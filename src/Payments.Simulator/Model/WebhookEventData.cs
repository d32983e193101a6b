namespace TicketAspire.Payments.Simulator.Model;

/// <summary>The event's subject: an intent, refund, dispute or early fraud warning.</summary>
public sealed record WebhookEventData(object Object);
