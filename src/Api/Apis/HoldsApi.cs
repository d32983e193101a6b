using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Services;

namespace TicketAspire.Api.Apis;

/// <summary>Holds: put seats on hold, read, confirm into an order, cancel.</summary>
public static class HoldsApi
{
    public static RouteGroupBuilder MapHoldsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/holds").WithTags("Holds");

        api.MapPost("/", CreateHold).WithName("CreateHold").WithSummary("Hold seats or general-admission tickets, all or nothing");
        api.MapGet("/{id:guid}", GetHold).WithName("GetHold").WithSummary("Get a hold");
        api.MapPost("/{id:guid}/confirm", ConfirmHold).WithName("ConfirmHold").WithSummary("Confirm a hold into an order");
        api.MapDelete("/{id:guid}", CancelHold).WithName("CancelHold").WithSummary("Cancel a hold and release its seats");

        return api;
    }

    public static async Task<Results<Created<HoldView>, ProblemHttpResult>> CreateHold(CreateHoldCommand command, HoldService holds, CancellationToken ct)
    {
        var result = await holds.CreateAsync(command, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/holds/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<HoldView>, ProblemHttpResult>> GetHold(Guid id, HoldService holds, CancellationToken ct)
    {
        var result = await holds.GetAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> ConfirmHold(Guid id, ConfirmHoldCommand command, HoldService holds, CancellationToken ct)
    {
        var result = await holds.ConfirmAsync(id, command, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> CancelHold(Guid id, HoldService holds, CancellationToken ct)
    {
        var result = await holds.CancelAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.NoContent();
    }
}
