namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// Endpoint metadata: the endpoint's requests spend a budget of their own (<see cref="Kind"/>, keyed by client address)
/// instead of the caller's usual partition. Added with <see cref="RateLimitingExtensions.WithRateLimitPartition"/>.
/// </summary>
/// <param name="Kind">The partition kind, whose rule is <c>RateLimiting:&lt;Kind&gt;</c>.</param>
public sealed record RateLimitPartitionMetadata(PartitionKind Kind);
