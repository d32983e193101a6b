using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Api.Infrastructure.Onboarding;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Self-registration of prospective resellers: anyone may apply (validated, rate limited per client address), an
/// operator lists the applications and approves one (which starts its onboarding) or rejects it.
/// </summary>
public static class ResellerApplicationsApi
{
    /// <summary>Applications one client address may submit per hour.</summary>
    public const int PerAddressPerHour = 5;

    /// <summary>Pending applications the cell keeps at most (a flood cannot fill the catalog).</summary>
    public const int MaxPending = 1000;

    public static RouteGroupBuilder MapResellerApplicationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/reseller-applications").WithTags("Reseller applications").ExcludeFromMultiTenantResolution();
        api.MapPost("/", Apply).WithName("ApplyAsReseller")
            .WithSummary("Apply to become a reseller of this cell (no account needed; an operator approves or rejects)")
            .AllowAnonymous();
        return api;
    }

    public static RouteGroupBuilder MapResellerApplicationsAdminApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/reseller-applications", List).WithName("ListResellerApplications")
            .WithSummary("Applications of prospective resellers (state: pending, approved, rejected; default pending)")
            .RequireAuthorization(ApiPolicies.Operator);
        admin.MapPost("/reseller-applications/{id:guid}/approve", Approve).WithName("ApproveResellerApplication")
            .WithSummary("Approve an application: starts the reseller's onboarding (202, with its integrator secret this once)")
            .RequireAuthorization(ApiPolicies.Operator);
        admin.MapPost("/reseller-applications/{id:guid}/reject", Reject).WithName("RejectResellerApplication")
            .WithSummary("Reject an application, with a reason")
            .RequireAuthorization(ApiPolicies.Operator);
        return admin;
    }

    public static async Task<Results<Accepted<ApplicationView>, ProblemHttpResult>> Apply(
        ResellerRegistration? registration, HttpContext context, CatalogDataSource catalog, TimeProvider time, CancellationToken ct)
    {
        var (errors, normalized) = RegistrationValidator.Validate(registration, requireContactEmail: true);
        if (OnboardingApi.InvalidRegistration(errors) is { } problem)
        {
            return problem;
        }

        var ip = context.Connection.RemoteIpAddress?.ToString();
        await using var conn = await catalog.DataSource.OpenConnectionAsync(ct);
        await using (var recent = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM reseller_applications WHERE client_ip IS NOT DISTINCT FROM $1 AND created_at > now() - interval '1 hour'),
                   (SELECT count(*) FROM reseller_applications WHERE state = 'pending'),
                   EXISTS (SELECT FROM resellers WHERE id = $2) OR EXISTS (SELECT FROM reseller_applications WHERE reseller_id = $2 AND state = 'pending')
            """, conn))
        {
            recent.Parameters.Add(new() { Value = (object?)ip ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            recent.Parameters.Add(new() { Value = normalized.Id! });
            await using var reader = await recent.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.GetInt64(0) >= PerAddressPerHour || reader.GetInt64(1) >= MaxPending)
            {
                context.Response.Headers.RetryAfter = "3600";
                return OnboardingApi.Problem(StatusCodes.Status429TooManyRequests, "applications.too_many", "Too many applications",
                    $"At most {PerAddressPerHour} applications an hour from one address; try again later.");
            }

            if (reader.GetBoolean(2))
            {
                return OnboardingApi.Problem(StatusCodes.Status409Conflict, "reseller.exists", "Reseller id taken",
                    $"'{normalized.Id}' is taken or already applied for; choose another id.");
            }
        }

        var id = Guid.CreateVersion7(time.GetUtcNow());
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO reseller_applications (id, reseller_id, name, request, contact_email, client_ip) VALUES ($1, $2, $3, $4::jsonb, $5, $6)
            """, conn))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = normalized.Id! });
            insert.Parameters.Add(new() { Value = normalized.Name! });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(normalized, ProvisioningJson.Options) });
            insert.Parameters.Add(new() { Value = normalized.ContactEmail! });
            insert.Parameters.Add(new() { Value = (object?)ip ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync(ct);
        }

        return TypedResults.Accepted((string?)null, new ApplicationView(id, normalized.Id!, normalized.Name!, normalized.ContactEmail!, "pending",
            time.GetUtcNow(), null, null, null, null, null));
    }

    public static async Task<Results<Ok<ApplicationList>, ProblemHttpResult>> List(string? state, CatalogDataSource catalog, CancellationToken ct)
    {
        state ??= "pending";
        if (state is not ("pending" or "approved" or "rejected"))
        {
            return Infrastructure.Problems.Invalid("state", "pending, approved or rejected.");
        }

        await using var cmd = catalog.DataSource.CreateCommand("""
            SELECT id, reseller_id, name, contact_email, state, created_at, decided_by, decided_at, decision_note, job_id, request::text
            FROM reseller_applications WHERE state = $1 ORDER BY created_at LIMIT 200
            """);
        cmd.Parameters.Add(new() { Value = state });
        var list = new List<ApplicationView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ApplicationView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9),
                JsonSerializer.Deserialize<ResellerRegistration>(reader.GetString(10), ProvisioningJson.Options)));
        }

        return TypedResults.Ok(new ApplicationList(list));
    }

    public static async Task<Results<Accepted<OnboardingAccepted>, ProblemHttpResult>> Approve(
        Guid id, HttpContext context, CatalogDataSource catalog, ProvisioningRequests requests, IOptions<IdentityServiceOptions> identity, CancellationToken ct)
    {
        await using var conn = await catalog.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        ResellerRegistration? registration;
        await using (var load = new NpgsqlCommand("SELECT state, request::text FROM reseller_applications WHERE id = $1 FOR UPDATE", conn, tx))
        {
            load.Parameters.Add(new() { Value = id });
            await using var reader = await load.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return OnboardingApi.Problem(StatusCodes.Status404NotFound, "application.not_found", "Application not found", $"No application {id}.");
            }

            if (reader.GetString(0) != "pending")
            {
                return OnboardingApi.Problem(StatusCodes.Status409Conflict, "application.decided", "Application already decided",
                    $"Application {id} is {reader.GetString(0)}.");
            }

            registration = JsonSerializer.Deserialize<ResellerRegistration>(reader.GetString(1), ProvisioningJson.Options);
        }

        // validated when submitted; validated again in case the rules tightened since
        var (errors, normalized) = RegistrationValidator.Validate(registration, requireContactEmail: true);
        if (OnboardingApi.InvalidRegistration(errors) is { } problem)
        {
            return problem;
        }

        var by = OnboardingApi.RequestedBy(context);
        var start = await requests.OnboardAsync(conn, tx, normalized, by, ct);
        if (start.JobId is { } job)
        {
            await using var decide = new NpgsqlCommand("""
                UPDATE reseller_applications SET state = 'approved', decided_by = $2, decided_at = now(), job_id = $3 WHERE id = $1
                """, conn, tx);
            decide.Parameters.Add(new() { Value = id });
            decide.Parameters.Add(new() { Value = by });
            decide.Parameters.Add(new() { Value = job });
            await decide.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        return OnboardingApi.Accepted(start, normalized, identity.Value);
    }

    public static async Task<Results<Ok<ApplicationDecision>, ProblemHttpResult>> Reject(
        Guid id, RejectApplication? body, HttpContext context, CatalogDataSource catalog, CancellationToken ct)
    {
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 1000)
        {
            return Infrastructure.Problems.Invalid("reason", "Required, at most 1000 characters.");
        }

        await using var cmd = catalog.DataSource.CreateCommand("""
            UPDATE reseller_applications SET state = 'rejected', decided_by = $2, decided_at = now(), decision_note = $3
            WHERE id = $1 AND state = 'pending' RETURNING state
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = OnboardingApi.RequestedBy(context) });
        cmd.Parameters.Add(new() { Value = reason });
        if (await cmd.ExecuteScalarAsync(ct) is not null)
        {
            return TypedResults.Ok(new ApplicationDecision(id, "rejected", reason));
        }

        await using var exists = catalog.DataSource.CreateCommand("SELECT state FROM reseller_applications WHERE id = $1");
        exists.Parameters.Add(new() { Value = id });
        return await exists.ExecuteScalarAsync(ct) is string state
            ? OnboardingApi.Problem(StatusCodes.Status409Conflict, "application.decided", "Application already decided", $"Application {id} is {state}.")
            : OnboardingApi.Problem(StatusCodes.Status404NotFound, "application.not_found", "Application not found", $"No application {id}.");
    }
}

/// <summary>An application as operators (and, when submitted, the applicant) see it.</summary>
public sealed record ApplicationView(
    Guid Id, string ResellerId, string Name, string ContactEmail, string State, DateTimeOffset CreatedAt, string? DecidedBy,
    DateTimeOffset? DecidedAt, string? DecisionNote, long? JobId, ResellerRegistration? Registration);

/// <summary>Applications.</summary>
public sealed record ApplicationList(IReadOnlyList<ApplicationView> Applications);

/// <summary>Why an application is rejected.</summary>
public sealed record RejectApplication(string? Reason);

/// <summary>A decision on an application.</summary>
public sealed record ApplicationDecision(Guid Id, string State, string Reason);
