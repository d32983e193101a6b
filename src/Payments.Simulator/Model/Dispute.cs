using System.Text.Json.Serialization;

namespace TicketAspire.Payments.Simulator.Model;

/// <summary>A chargeback: <paramref name="Amount"/> is taken back from the platform, plus <paramref name="Fee"/>.</summary>
public sealed record Dispute(
    string Id,
    string PaymentIntent,
    long Amount,
    string Currency,
    string Reason,
    long Fee,
    long Created,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Always <c>dispute</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Object => "dispute";
}
