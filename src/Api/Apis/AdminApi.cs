using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Onboarding;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.Api.Apis;

/// <summary>Cell-level administration for platform operators (no reseller context).</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        // every operator action is recorded in the catalog before it runs (OperatorAudit)
        var api = app.MapGroup("/admin").WithTags("Admin").ExcludeFromMultiTenantResolution().AddEndpointFilter<OperatorAudit>();

        api.MapGet("/resellers", ListResellers).WithName("ListResellers").WithSummary("The resellers of this cell and their hosts")
            .RequireAuthorization(ApiPolicies.Operator);
        api.MapGet("/resellers/health", GetResellersHealth).WithName("GetResellersHealth")
            .WithSummary("Each reseller's database (SELECT 1), Redis (PING) and issuer (discovery document), checked now with short timeouts: ok or down with the latency")
            .RequireAuthorization(ApiPolicies.Operator);
        api.MapPut("/resellers/{id}/rules", SetResellerRules).WithName("SetResellerRules")
            .WithSummary("Set a reseller's own rules where its cell lets it choose (null: the cell's rule); applies within seconds, no restart")
            .RequireAuthorization(ApiPolicies.Operator);

        return api;
    }

    public static async Task<Ok<ResellerList>> ListResellers(CatalogStore catalog)
    {
        var all = await catalog.GetAllAsync();
        return TypedResults.Ok(new ResellerList([.. all.Select(r => new ResellerSummary(r.Id, r.Name, r.Cell, r.Hosts))]));
    }

    public static async Task<Results<Ok<ResellerHealthReport>, ProblemHttpResult>> GetResellersHealth(
        string? id, CatalogStore catalog, ResellerHealth health, CancellationToken ct)
    {
        var all = await catalog.GetAllAsync();
        if (id is not null)
        {
            if (all.FirstOrDefault(r => r.Id == id) is not { } one)
            {
                return Problems.Invalid("id", id.Length > 100 ? "No such reseller in this cell." : $"No reseller '{id}' in this cell.");
            }

            all = [one];
        }

        return TypedResults.Ok(await health.CheckAsync([.. all.OrderBy(r => r.Id, StringComparer.Ordinal)], ct));
    }

    public static async Task<Results<Ok<RuleOverride>, ProblemHttpResult>> SetResellerRules(
        string id, RuleOverride rules, CatalogStore catalog, CatalogRuleOverrides overrides, IOptionsMonitor<CellRuleOptions> cell, CancellationToken ct)
    {
        if (await catalog.GetAsync(id) is null)
        {
            return Problems.Invalid("id", $"No reseller '{id}' in this cell.");
        }

        if (rules.Violations(cell.CurrentValue) is { Count: > 0 } widening)
        {
            return Problems.From(TicketAspire.Inventory.Model.InventoryError.Validation(widening));
        }

        await overrides.SetAsync(id, rules, ct);
        return TypedResults.Ok(rules);
    }
}

/// <summary>The resellers of the cell.</summary>
public sealed record ResellerList(IReadOnlyList<ResellerSummary> Resellers);

/// <summary>A reseller as operators see it (no storage details).</summary>
public sealed record ResellerSummary(string Id, string Name, string Cell, IReadOnlyList<string> Hosts);
