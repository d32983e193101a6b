using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Services;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Holds: put seats on hold, read, confirm into an order, cancel. Integrators act for any customer of their reseller;
/// an end user only for themselves (the customer reference comes from the token, and other customers' holds read as not
/// found).
/// </summary>
public static class HoldsApi
{
    public static RouteGroupBuilder MapHoldsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/holds").WithTags("Holds");

        api.MapPost("/", CreateHold).WithName("CreateHold").WithSummary("Hold seats or general-admission tickets, all or nothing")
            .RequireAuthorization(ApiPolicies.OrdersWrite);
        api.MapGet("/{id:guid}", GetHold).WithName("GetHold").WithSummary("Get a hold")
            .RequireAuthorization(ApiPolicies.OrdersRead);
        api.MapPost("/{id:guid}/confirm", ConfirmHold).WithName("ConfirmHold").WithSummary("Confirm a hold into an order")
            .RequireAuthorization(ApiPolicies.OrdersWrite);
        api.MapDelete("/{id:guid}", CancelHold).WithName("CancelHold").WithSummary("Cancel a hold and release its seats")
            .RequireAuthorization(ApiPolicies.OrdersWrite);

        return api;
    }

    public static async Task<Results<Created<HoldView>, ProblemHttpResult>> CreateHold(
        CreateHoldCommand command, HttpContext context, HoldService holds, CancellationToken ct)
    {
        var actor = context.GetActor();
        if (actor.IsCustomer)
        {
            if (command.CustomerRef is { Length: > 0 } requested && requested != actor.CustomerRef)
            {
                return Problems.Forbidden("An end user holds seats for themselves only; leave customer_ref out (it comes from the token).");
            }

            command = command with { CustomerRef = actor.CustomerRef, CustomerEmail = command.CustomerEmail ?? actor.Email };
        }

        var result = await holds.CreateAsync(command, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/holds/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<HoldView>, ProblemHttpResult>> GetHold(Guid id, HttpContext context, HoldService holds, CancellationToken ct)
    {
        var result = await holds.GetAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> ConfirmHold(
        Guid id, ConfirmHoldCommand command, HttpContext context, HoldService holds, CancellationToken ct)
    {
        var result = await holds.ConfirmAsync(id, command, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> CancelHold(Guid id, HttpContext context, HoldService holds, CancellationToken ct)
    {
        var result = await holds.CancelAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.NoContent();
    }
}
