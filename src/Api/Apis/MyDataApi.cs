using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Privacy;

namespace TicketAspire.Api.Apis;

/// <summary>
/// The signed-in end user's own data in their reseller's database: a copy of everything held about them, and its
/// erasure (the account and its sessions deleted; orders kept for accounting without personal data). See
/// docs/retention.md.
/// </summary>
public static class MyDataApi
{
    public static RouteGroupBuilder MapMyDataApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/me/data").WithTags("Personal data").RequireAuthorization(ApiPolicies.Customer);

        api.MapGet("/", ExportMyData).WithName("ExportMyData")
            .WithSummary("Everything the platform holds about the signed-in end user: account, holds, orders with tickets and refunds, waitlist and queue places, e-mails");
        api.MapDelete("/", DeleteMyData).WithName("DeleteMyData")
            .WithSummary("Erase the signed-in end user's personal data and delete their account; orders stay for accounting, without personal data");

        return api;
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> ExportMyData(HttpContext context, PersonalData data, CancellationToken ct)
    {
        if (UserId(context) is not { } userId)
        {
            return Problems.Forbidden("The token names no end-user account.");
        }

        return TypedResults.Ok(await data.ExportAsync(userId, ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMyData(HttpContext context, PersonalData data, CancellationToken ct)
    {
        if (UserId(context) is not { } userId)
        {
            return Problems.Forbidden("The token names no end-user account.");
        }

        return await data.EraseAsync(userId, ct) is { } refused ? Problems.From(refused, context) : TypedResults.NoContent();
    }

    private static Guid? UserId(HttpContext context) =>
        Guid.TryParse(context.GetActor().Subject, out var id) ? id : null;
}
