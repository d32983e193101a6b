using System.Diagnostics;
using Npgsql;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy.Catalog;

namespace TicketAspire.Api.Infrastructure.Onboarding;

/// <summary>
/// The cell-level operator actions (<c>/v1/admin/…</c>: onboarding, offboarding, applications, rules, reads too) in the
/// catalog's <c>operator_audit</c>: each is written before it runs, with who (subject, client), what (endpoint, method,
/// path, resource id), from where, and completed with the answer's status. An action that cannot be recorded does not run
/// (503 <c>audit_unavailable</c>). Requests refused by authorization never reach it (they change nothing).
/// </summary>
public sealed class OperatorAudit(CatalogDataSource catalog, TimeProvider time, ILogger<OperatorAudit> logger) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var actor = http.GetActor();
        var endpoint = http.GetEndpoint();
        long id;
        try
        {
            await using var begin = catalog.DataSource.CreateCommand("""
                INSERT INTO operator_audit (at, subject, client_id, action, method, path, resource_id, client_ip, trace_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
                """);
            begin.Parameters.Add(new() { Value = time.GetUtcNow() });
            begin.Parameters.Add(new() { Value = (object?)actor.Subject ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            begin.Parameters.Add(new() { Value = (object?)actor.ClientId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            begin.Parameters.Add(new() { Value = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint?.DisplayName ?? "unknown" });
            begin.Parameters.Add(new() { Value = http.Request.Method });
            begin.Parameters.Add(new() { Value = http.Request.Path.Value ?? "" });
            begin.Parameters.Add(new() { Value = (object?)http.Request.RouteValues["id"]?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            begin.Parameters.Add(new() { Value = (object?)http.Connection.RemoteIpAddress?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            begin.Parameters.Add(new() { Value = (object?)Activity.Current?.TraceId.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            id = (long)(await begin.ExecuteScalarAsync(http.RequestAborted))!;
        }
        catch (NpgsqlException ex)
        {
            logger.LogError(ex, "Audit: an operator action was refused because it could not be recorded");
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit log unavailable",
                detail: "Operator actions are recorded before they run, and the audit log cannot be written right now.",
                type: Problems.TypeBase + "audit_unavailable", extensions: new Dictionary<string, object?> { ["code"] = "audit_unavailable" });
        }

        var status = StatusCodes.Status500InternalServerError;
        try
        {
            var result = await next(context);
            // typed results come wrapped (Results<…>): the status is the inner result's
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            status = inner is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            return result;
        }
        finally
        {
            await using var complete = catalog.DataSource.CreateCommand("UPDATE operator_audit SET status = $2 WHERE id = $1");
            complete.Parameters.Add(new() { Value = id });
            complete.Parameters.Add(new() { Value = status });
            await complete.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
