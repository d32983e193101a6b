using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.Api.Apis;

/// <summary>
/// The rules that apply to the reseller (public: a storefront resolves its reseller by host, an integrator by token):
/// its cell's rules, narrowed where the reseller chose to (see <see cref="RuleOverride"/>).
/// </summary>
public static class RulesApi
{
    public static RouteGroupBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/rules").WithTags("Rules");

        api.MapGet("/", GetRules).WithName("GetRules").WithSummary("The jurisdiction's rules as they apply to this reseller");

        return api;
    }

    public static async Task<Ok<AppliedRules>> GetRules(RuleBook rules, CancellationToken ct) => TypedResults.Ok(await rules.GetAsync(ct));
}
