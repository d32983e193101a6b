namespace TicketAspire.Webhooks.Model;

/// <summary>The state of one message's delivery to one endpoint.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being attempted).</summary>
    Pending = 0,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Every attempt of the retry schedule failed (dead letter); can be replayed.</summary>
    Dead = 2,

    /// <summary>The endpoint was disabled (it answered 410, or was switched off) before this was delivered.</summary>
    Disabled = 3,
}

/// <summary>A registered endpoint as the API shows it (secrets are shown only when created or rotated).</summary>
public sealed record WebhookEndpoint(
    Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An endpoint with its (new) signing secret.</summary>
public sealed record WebhookEndpointWithSecret(
    Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Secret);

/// <summary>A new secret; the previous one keeps signing until <paramref name="PreviousExpiresAt"/>.</summary>
public sealed record RotatedSecret(Guid EndpointId, string Secret, DateTimeOffset? PreviousExpiresAt);

/// <summary>One message's delivery to one endpoint.</summary>
public sealed record WebhookDelivery(
    Guid Id, string MessageId, Guid EndpointId, string EventType, DeliveryStatus Status, int Attempts, DateTimeOffset? NextAttemptAt,
    int? LastStatus, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

/// <summary>A message (one per outbox row) and how many of its deliveries are in which state.</summary>
public sealed record WebhookMessage(
    string Id, string EventType, System.Text.Json.JsonElement Data, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, int> Deliveries);

/// <summary>A page of items.</summary>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, int Page, int Size, long Total);
