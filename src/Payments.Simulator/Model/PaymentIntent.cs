using System.Text.Json.Serialization;

namespace TicketAspire.Payments.Simulator.Model;

/// <summary>A payment intent as the API and webhooks show it (<c>created</c> in unix seconds).</summary>
public sealed record PaymentIntent(
    string Id,
    PaymentIntentStatus Status,
    long Amount,
    string Currency,
    string? Description,
    string ClientSecret,
    IReadOnlyDictionary<string, string> Metadata,
    long Created,
    PaymentError? LastPaymentError,
    long AmountRefunded,
    bool Disputed,
    bool FraudFlagged)
{
    /// <summary>Always <c>payment_intent</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Object => "payment_intent";
}
