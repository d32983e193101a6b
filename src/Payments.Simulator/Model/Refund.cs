using System.Text.Json.Serialization;

namespace TicketAspire.Payments.Simulator.Model;

/// <summary>A refund of (part of) a succeeded intent; the simulator's refunds succeed at once.</summary>
public sealed record Refund(
    string Id,
    string PaymentIntent,
    long Amount,
    string Currency,
    string? Reason,
    string Status,
    long Created,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Always <c>refund</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Object => "refund";
}
