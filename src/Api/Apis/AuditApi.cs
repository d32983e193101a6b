using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Api.Apis;

/// <summary>The reseller's audit log: who did what to which resource, when, from which client.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/audit").WithTags("Audit");

        api.MapGet("/", ListAudit).WithName("ListAudit").WithSummary("The reseller's audit log, newest first (filters: resource_id, subject, action, actor_kind, since, until)")
            .RequireAuthorization(ApiPolicies.AuditRead);

        return api;
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAudit(HttpRequest request, ResellerStorage storage, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        var resource = request.Query["resource_id"].ToString();
        var subject = request.Query["subject"].ToString();
        if (resource.Length > 200) { errors["resource_id"] = ["At most 200 characters."]; }
        if (subject.Length > 200) { errors["subject"] = ["At most 200 characters."]; }
        var action = request.Query["action"].ToString();
        var actorKind = request.Query["actor_kind"].ToString();
        if (action.Length > 100) { errors["action"] = ["At most 100 characters."]; }
        if (actorKind is not ("" or "integrator" or "customer" or "guest" or "staff" or "anonymous")) { errors["actor_kind"] = ["One of integrator, customer, guest, staff, anonymous."]; }
        var since = Time(request, "since", errors);
        var until = Time(request, "until", errors);
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        await using var cmd = storage.Db.CreateCommand("""
            SELECT id, at, actor_kind, subject, client_id, action, method, path, resource_id, status, client_ip, trace_id
            FROM audit_log
            WHERE ($1 = '' OR resource_id = $1) AND ($2 = '' OR subject = $2 OR client_id = $2)
              AND ($5 = '' OR action = $5) AND ($6 = '' OR actor_kind = $6)
              AND at >= coalesce($7, '-infinity'::timestamptz) AND at < coalesce($8, 'infinity'::timestamptz)
            ORDER BY id DESC LIMIT $3 OFFSET $4
            """);
        cmd.Parameters.Add(new() { Value = resource });
        cmd.Parameters.Add(new() { Value = subject });
        cmd.Parameters.Add(new() { Value = size });
        cmd.Parameters.Add(new() { Value = (page - 1) * size });
        cmd.Parameters.Add(new() { Value = action });
        cmd.Parameters.Add(new() { Value = actorKind });
        cmd.Parameters.Add(new() { Value = (object?)since ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new() { Value = (object?)until ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        var lines = new List<AuditLine>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            lines.Add(new AuditLine(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), Text(3), Text(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), Text(8), reader.IsDBNull(9) ? null : reader.GetInt32(9),
                Text(10), Text(11)));
        }

        return TypedResults.Ok(new AuditPage(lines, page, size));
    }

    /// <summary>An ISO 8601 time with its offset (<c>2026-12-06T05:00:00Z</c>) from the query, or null when absent.</summary>
    private static DateTimeOffset? Time(HttpRequest request, string name, Dictionary<string, string[]> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length <= 40 && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at) && at.Year is >= 2000 and <= 9000)
        {
            return at.ToUniversalTime();
        }

        errors[name] = ["An ISO 8601 time, e.g. 2026-12-06T05:00:00Z."];
        return null;
    }
}

/// <summary>A page of the audit log.</summary>
public sealed record AuditPage(IReadOnlyList<AuditLine> Entries, int Page, int Size);

/// <summary>One audited action.</summary>
public sealed record AuditLine(
    long Id, DateTimeOffset At, string ActorKind, string? Subject, string? ClientId, string Action, string Method, string Path,
    string? ResourceId, int? Status, string? ClientIp, string? TraceId);
