using System.Diagnostics;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Infrastructure.Audit;

/// <summary>
/// Records every write (POST, PUT, PATCH, DELETE) to a reseller's endpoints, refused ones included, and every request of
/// platform staff, reads too, in that reseller's audit log: who (kind, subject, client), what (endpoint, method, path,
/// resource id), the answer's status, when, from which address. Staff actions are written before they run.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditWriter writer, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, IMultiTenantContextAccessor<ResellerTenantInfo> tenant, ResellerStorage storage)
    {
        var actor = context.GetActor();
        var method = context.Request.Method;
        var write = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
        var endpoint = context.GetEndpoint();
        if (!tenant.MultiTenantContext.IsResolved || endpoint is null || !(write || actor.IsStaff))
        {
            await next(context);
            return;
        }

        var entry = new AuditEntry(
            time.GetUtcNow(), actor.Kind.ToString().ToLowerInvariant(), actor.Subject, actor.ClientId,
            endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? "unknown",
            method, context.Request.Path.Value ?? "", context.Request.RouteValues["id"]?.ToString(), null,
            context.Connection.RemoteIpAddress?.ToString(), Activity.Current?.TraceId.ToString());
        var db = storage.Db;
        long? staffEntry = null;
        if (actor.IsStaff)
        {
            try
            {
                staffEntry = await writer.BeginAsync(db, entry, context.RequestAborted);
            }
            catch (Npgsql.NpgsqlException ex)
            {
                logger.LogError(ex, "Audit: a staff action was refused because it could not be recorded");
                context.Response.Headers.RetryAfter = "5";
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "audit_unavailable", "Audit log unavailable",
                    "Staff actions are recorded before they run, and the audit log cannot be written right now.");
                return;
            }
        }

        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            // the exception handler answers it 503 database_unavailable
            status = StatusCodes.Status503ServiceUnavailable;
            throw;
        }
        finally
        {
            if (staffEntry is { } id)
            {
                await writer.CompleteAsync(db, id, status);
            }
            else
            {
                var created = context.Response.Headers.Location.ToString();
                var resource = entry.ResourceId ?? (created.Length > 0 ? created[(created.LastIndexOf('/') + 1)..] : null);
                await writer.EnqueueAsync(db, entry with { Status = status, ResourceId = resource }, CancellationToken.None);
            }
        }
    }
}
