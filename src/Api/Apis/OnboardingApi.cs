using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Onboarding;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Onboarding and offboarding resellers at run time (platform operators): a reseller registered here gets its database,
/// its own Redis, its identity clients and its hosts from the cell's provisioner, and sells without a restart of anything.
/// </summary>
public static class OnboardingApi
{
    public static RouteGroupBuilder MapOnboardingApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/resellers", Onboard).WithName("OnboardReseller")
            .WithSummary("Register a reseller with its billing information; the cell provisions it without a restart (202, then GET …/provisioning)")
            .RequireAuthorization(ApiPolicies.Operator);
        admin.MapGet("/resellers/{id}/provisioning", GetProvisioning).WithName("GetResellerProvisioning")
            .WithSummary("The progress of the reseller's latest onboarding or offboarding, step by step")
            .RequireAuthorization(ApiPolicies.Operator);
        admin.MapDelete("/resellers/{id}", Offboard).WithName("OffboardReseller")
            .WithSummary("Offboard a reseller onboarded at run time: out of the catalog, its data exported, then its database and Redis removed (202)")
            .RequireAuthorization(ApiPolicies.Operator);
        admin.MapGet("/audit", ListOperatorAudit).WithName("ListOperatorAudit")
            .WithSummary("The cell's operator actions, newest first")
            .RequireAuthorization(ApiPolicies.Operator);
        return admin;
    }

    public static async Task<Results<Accepted<OnboardingAccepted>, ProblemHttpResult>> Onboard(
        ResellerRegistration? registration, HttpContext context, ProvisioningRequests requests, IOptions<IdentityServiceOptions> identity, CancellationToken ct)
    {
        var (errors, normalized) = RegistrationValidator.Validate(registration);
        if (InvalidRegistration(errors) is { } problem)
        {
            return problem;
        }

        var start = await requests.OnboardAsync(normalized, RequestedBy(context), ct);
        return Accepted(start, normalized, identity.Value);
    }

    public static async Task<Results<Ok<ProvisioningStatus>, ProblemHttpResult>> GetProvisioning(string id, ProvisioningRequests requests, CancellationToken ct) =>
        await requests.LatestAsync(id, ct) is { } status
            ? TypedResults.Ok(status)
            : Problem(StatusCodes.Status404NotFound, "provisioning.not_found", "No provisioning", $"Reseller '{id}' was never onboarded or offboarded here.");

    public static async Task<Results<Accepted<ProvisioningStatus>, ProblemHttpResult>> Offboard(
        string id, HttpContext context, ProvisioningRequests requests, CancellationToken ct)
    {
        var start = await requests.OffboardAsync(id, RequestedBy(context), ct);
        if (start.ConflictCode is { } code)
        {
            return Problem(code == "reseller.not_found" ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, code,
                code == "reseller.not_found" ? "Reseller not found" : "Offboarding refused", start.Detail!);
        }

        var status = await requests.LatestAsync(id, ct);
        return TypedResults.Accepted($"/v1/admin/resellers/{id}/provisioning", status);
    }

    public static async Task<Results<Ok<OperatorAuditPage>, ProblemHttpResult>> ListOperatorAudit(HttpRequest request, CatalogDataSource catalog, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        await using var cmd = catalog.DataSource.CreateCommand("""
            SELECT id, at, subject, client_id, action, method, path, resource_id, status, client_ip, trace_id
            FROM operator_audit ORDER BY id DESC LIMIT $1 OFFSET $2
            """);
        cmd.Parameters.Add(new() { Value = size });
        cmd.Parameters.Add(new() { Value = (page - 1) * size });
        var lines = new List<OperatorAuditLine>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            lines.Add(new OperatorAuditLine(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), Text(2), Text(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), Text(7), reader.IsDBNull(8) ? null : reader.GetInt32(8), Text(9), Text(10)));
        }

        return TypedResults.Ok(new OperatorAuditPage(lines, page, size));
    }

    /// <summary>400 when fields are missing or out of bounds, 422 when present but unacceptable; null when the registration is fine.</summary>
    internal static ProblemHttpResult? InvalidRegistration(RegistrationErrors errors)
    {
        if (errors.Missing.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors.Missing.Concat(errors.Invalid).ToDictionary(e => e.Key, e => e.Value)));
        }

        return errors.Invalid.Count > 0
            ? TypedResults.Problem(new ProblemDetails
            {
                Type = Problems.TypeBase + "registration.invalid",
                Title = "The registration cannot be accepted",
                Status = StatusCodes.Status422UnprocessableEntity,
                Detail = "Some fields are present but not acceptable (see errors).",
                Extensions = { ["code"] = "registration.invalid", ["errors"] = errors.Invalid },
            })
            : null;
    }

    /// <summary>202 with the integrator's credentials (the secret, this once), or the refusal.</summary>
    internal static Results<Accepted<OnboardingAccepted>, ProblemHttpResult> Accepted(OnboardingStart start, ResellerRegistration registration, IdentityServiceOptions identity)
    {
        if (start.ConflictCode is { } code)
        {
            return Problem(code == "onboarding.unavailable" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status409Conflict, code,
                "Onboarding refused", start.Detail!);
        }

        var id = registration.Id!;
        var issuer = $"{identity.PublicOrigin.TrimEnd('/')}/{id}";
        var status = $"/v1/admin/resellers/{id}/provisioning";
        return TypedResults.Accepted(status, new OnboardingAccepted(
            id, start.JobId!.Value, "pending", status, registration.Hosts ?? [],
            new IntegratorCredentials($"{id}-backend", start.ClientSecret!, $"{issuer}/connect/token", issuer,
                "The secret is shown this once; the platform keeps only its hash. Usable once provisioning completed."),
            $"{id}-storefront"));
    }

    internal static string RequestedBy(HttpContext context)
    {
        var actor = context.GetActor();
        return actor.ClientId ?? actor.Subject ?? "unknown";
    }

    internal static ProblemHttpResult Problem(int status, string code, string title, string detail) => TypedResults.Problem(new ProblemDetails
    {
        Type = Problems.TypeBase + code,
        Title = title,
        Status = status,
        Detail = detail,
        Extensions = { ["code"] = code },
    });
}

/// <summary>An onboarding accepted: where to follow it, and the integrator's credentials (the secret only here).</summary>
public sealed record OnboardingAccepted(
    string ResellerId, long JobId, string State, string StatusUrl, IReadOnlyList<string> Hosts, IntegratorCredentials Integrator, string StorefrontClientId);

/// <summary>The new reseller's back-end client (client credentials).</summary>
public sealed record IntegratorCredentials(string ClientId, string ClientSecret, string TokenEndpoint, string Issuer, string Note);

/// <summary>A page of the operator audit.</summary>
public sealed record OperatorAuditPage(IReadOnlyList<OperatorAuditLine> Entries, int Page, int Size);

/// <summary>One operator action.</summary>
public sealed record OperatorAuditLine(
    long Id, DateTimeOffset At, string? Subject, string? ClientId, string Action, string Method, string Path, string? ResourceId,
    int? Status, string? ClientIp, string? TraceId);
