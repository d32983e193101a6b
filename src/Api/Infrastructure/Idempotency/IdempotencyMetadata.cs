namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>Marks an endpoint whose requests honour <c>Idempotency-Key</c>.</summary>
public sealed class IdempotencyMetadata
{
    /// <summary>The one instance.</summary>
    public static IdempotencyMetadata Instance { get; } = new();
}
