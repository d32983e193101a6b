namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>A key's row: what the first request was, and its answer once it completed (<see cref="Status"/> set).</summary>
public sealed record StoredResponse(string Method, string Path, byte[] RequestHash, int? Status, string? ContentType, string? Location, byte[]? Body);
