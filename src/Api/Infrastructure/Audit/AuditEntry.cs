namespace TicketAspire.Api.Infrastructure.Audit;

/// <summary>One line of a reseller's audit log.</summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string ActorKind,
    string? Subject,
    string? ClientId,
    string Action,
    string Method,
    string Path,
    string? ResourceId,
    int? Status,
    string? ClientIp,
    string? TraceId);
