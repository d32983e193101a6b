using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Catalog;

namespace TicketAspire.Api.Apis;

/// <summary>Cell-level administration for platform operators (no reseller context).</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin").WithTags("Admin").ExcludeFromMultiTenantResolution();

        api.MapGet("/resellers", ListResellers).WithName("ListResellers").WithSummary("The resellers of this cell and their hosts")
            .RequireAuthorization(ApiPolicies.Operator);

        return api;
    }

    public static async Task<Ok<ResellerList>> ListResellers(CatalogStore catalog)
    {
        var all = await catalog.GetAllAsync();
        return TypedResults.Ok(new ResellerList([.. all.Select(r => new ResellerSummary(r.Id, r.Name, r.Cell, r.Hosts))]));
    }
}

/// <summary>The resellers of the cell.</summary>
public sealed record ResellerList(IReadOnlyList<ResellerSummary> Resellers);

/// <summary>A reseller as operators see it (no storage details).</summary>
public sealed record ResellerSummary(string Id, string Name, string Cell, IReadOnlyList<string> Hosts);
