using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Queue;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Presales: an event's general on-sale time and the windows before it, opened by a code (sent with a hold in the
/// <c>Presale-Code</c> header) or to verified fans (signed-in end users who registered).
/// </summary>
public static class PresaleApi
{
    public static RouteGroupBuilder MapPresaleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/events/{id:guid}/presale").WithTags("Presales");

        api.MapPut("/", ConfigurePresale).WithName("ConfigurePresale")
            .WithSummary("Set the event's general on-sale time and its presale windows (codes are kept hashed); replaces the plan")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapGet("/", GetPresale).WithName("GetPresale").WithSummary("The event's general on-sale time and presale windows (never a code)");
        api.MapPost("/registrations", RegisterForPresale).WithName("RegisterForPresale")
            .WithSummary("Register the signed-in end user as a verified fan for the event's verified-fan presale")
            .RequireAuthorization(ApiPolicies.Customer);

        return api;
    }

    public static async Task<Results<Ok<PresalePlan>, ProblemHttpResult>> ConfigurePresale(Guid id, PresaleSettings settings, PresaleService presales, CancellationToken ct)
    {
        var result = await presales.ConfigureAsync(id, settings, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<PresalePlan>, ProblemHttpResult>> GetPresale(Guid id, PresaleService presales, CancellationToken ct)
    {
        var result = await presales.GetAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<PresaleRegistration>, ProblemHttpResult>> RegisterForPresale(Guid id, HttpContext context, PresaleService presales, CancellationToken ct)
    {
        var result = await presales.RegisterAsync(id, context.GetActor().CustomerRef!, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }
}
