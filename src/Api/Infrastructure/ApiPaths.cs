namespace TicketAspire.Api.Infrastructure;

/// <summary>
/// The one rule for "is this an API request": a path under <c>/v{n}/</c>, compared case-insensitively as routing compares
/// it (<c>/V1/events</c> reaches the same endpoint as <c>/v1/events</c>, so it must pass the same pipeline: token
/// validation, tenancy, rate limits, shedding, audit, idempotency). Every place that decides it asks here.
/// </summary>
public static class ApiPaths
{
    /// <summary>True for <c>/v{digit}…</c> in any letter case.</summary>
    public static bool IsApi(PathString path) =>
        path.Value is { Length: >= 3 } p && p[0] == '/' && (p[1] | 0x20) == 'v' && char.IsAsciiDigit(p[2]);

    /// <summary>True for an API path ending in <c>/stream</c> (a Server-Sent Events stream), in any letter case.</summary>
    public static bool IsStream(PathString path) =>
        IsApi(path) && path.Value!.EndsWith("/stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The path as one canonical string for comparisons that must not depend on letter case (idempotency records): the
    /// routes are ASCII and case-insensitive, their ids (GUIDs) too.
    /// </summary>
    public static string Canonical(PathString path) => (path.Value ?? "").ToLowerInvariant();
}
