namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>The budget a request spends: its kind (which rule) and its Redis key (<c>ta:rl:…</c>).</summary>
internal readonly record struct ApiPartition(PartitionKind Kind, string Key);
