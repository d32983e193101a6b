using System.Text.Json.Serialization;

namespace TicketAspire.Payments.Simulator.Model;

/// <summary>The body of a webhook: <c>{id, object, type, created, data: {object}}</c>.</summary>
public sealed record WebhookEvent(string Id, string Type, long Created, WebhookEventData Data)
{
    /// <summary>Always <c>event</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Object => "event";
}

