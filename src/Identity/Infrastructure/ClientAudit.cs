using System.Diagnostics;
using TicketAspire.Identity.Apis;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// The identity service's lines in a reseller's audit log (<c>audit_log</c> of the reseller's database, the table the
/// API writes and <c>GET /v1/audit</c> reads): a client secret rotation by the reseller's administrator, as an
/// integrator's action of that person (subject = the person's id, client = the console's). Written before the rotation
/// with no status and completed after it, as the API does for staff actions: no rotation happens unaudited. The secret
/// is never written.
/// </summary>
public sealed class ClientAudit(ResellerDataSources dataSources, TimeProvider time)
{
    /// <summary>The audit line's action (the endpoint's name).</summary>
    public const string RotateAction = "RotateClientSecret";

    /// <summary>Writes the line of a rotation about to happen; returns its id for <see cref="CompleteAsync"/>.</summary>
    public async Task<long> BeginAsync(ResellerTenantInfo reseller, Administrator admin, string clientId, HttpContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(context);
        var db = await dataSources.GetAsync(reseller);
        await using var cmd = db.CreateCommand("""
            INSERT INTO audit_log (at, actor_kind, subject, client_id, action, method, path, resource_id, status, client_ip, trace_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)
            RETURNING id
            """);
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        cmd.Parameters.Add(new() { Value = TokenClaims.Integrator });
        cmd.Parameters.Add(new() { Value = admin.UserId.ToString() });
        cmd.Parameters.Add(new() { Value = (object?)admin.Claims.FindFirst(Claims.ClientId)?.Value ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = RotateAction });
        cmd.Parameters.Add(new() { Value = context.Request.Method });
        cmd.Parameters.Add(new() { Value = $"{context.Request.PathBase}{context.Request.Path}" });
        cmd.Parameters.Add(new() { Value = clientId });
        cmd.Parameters.Add(new() { Value = (object?)context.Connection.RemoteIpAddress?.ToString() ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = (object?)Activity.Current?.TraceId.ToString() ?? DBNull.Value });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Records the status the rotation ended with.</summary>
    public async Task CompleteAsync(ResellerTenantInfo reseller, long id, int status)
    {
        var db = await dataSources.GetAsync(reseller);
        await using var cmd = db.CreateCommand("UPDATE audit_log SET status = $2 WHERE id = $1 AND status IS NULL");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = status });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
