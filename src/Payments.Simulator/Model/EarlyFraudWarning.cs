using System.Text.Json.Serialization;

namespace TicketAspire.Payments.Simulator.Model;

/// <summary>The card network's early warning that a succeeded payment was probably fraudulent.</summary>
public sealed record EarlyFraudWarning(
    string Id,
    string PaymentIntent,
    string FraudType,
    long Created,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Always <c>radar.early_fraud_warning</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Object => "radar.early_fraud_warning";
}
