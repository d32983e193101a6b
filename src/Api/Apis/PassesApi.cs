using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Idempotency;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Passes;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Passes: the organizer defines a pass over a set of events for one price. A season pass's buyer holds the same seat in
/// every event (all or nothing), pays once, and gets an order with a ticket per event; a flex pass's buyer pays once and
/// redeems its credits later, one event each, a ticket at a time. Passes are public to read;
/// an end user buys and reads their own purchases only (the customer reference comes from the token).
/// </summary>
public static class PassesApi
{
    public static IEndpointRouteBuilder MapPassesApi(this IEndpointRouteBuilder app)
    {
        var passes = app.MapGroup("/passes").WithTags("Passes");
        passes.MapPost("/", CreatePass).WithName("CreatePass")
            .WithSummary("Define a pass over 2 to 52 events for one price: season (the same seat in every event) or flex (N events chosen later)")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        passes.MapGet("/", ListPasses).WithName("ListPasses").WithSummary("List the passes on sale, newest first");
        passes.MapGet("/{id:guid}", GetPass).WithName("GetPass").WithSummary("Get a pass with its events");
        passes.MapPost("/{id:guid}/purchases", CreatePassPurchase).WithName("CreatePassPurchase")
            .WithSummary("Buy a pass: a season pass holds the seat with this label in every event of the pass, all or nothing; a flex pass holds nothing")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();

        var purchases = app.MapGroup("/pass-purchases").WithTags("Passes");
        purchases.MapGet("/{id:guid}", GetPassPurchase).WithName("GetPassPurchase").WithSummary("Get a pass purchase with its holds and orders")
            .RequireAuthorization(ApiPolicies.OrdersRead);
        purchases.MapPost("/{id:guid}/payment", StartPassPayment).WithName("StartPassPayment")
            .WithSummary("Start paying for a pass purchase: one PSP intent for the pass's price with its fees")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();
        purchases.MapPost("/{id:guid}/confirm", ConfirmPassPurchase).WithName("ConfirmPassPurchase")
            .WithSummary("Confirm a pass purchase once the PSP reports its payment captured: an order and a ticket per event")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();
        purchases.MapPost("/{id:guid}/redemptions", RedeemPassCredit).WithName("RedeemPassCredit")
            .WithSummary("Redeem one credit of a paid flex pass for a ticket of one of its events: claimed and sold at once, no second payment")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();
        return app;
    }

    public static async Task<Results<Created<PassRedemptionView>, ProblemHttpResult>> RedeemPassCredit(
        Guid id, RedeemPassCommand? command, HttpContext context, PassService passes, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.Invalid("event_id", "A redemption: event_id and class_id (general admission) or seat_id (reserved seating).");
        }

        var result = await passes.RedeemAsync(id, command, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/orders/{result.Value!.OrderId}", result.Value);
    }

    public static async Task<Results<Created<PassView>, ProblemHttpResult>> CreatePass(CreatePassCommand? command, PassService passes, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.Invalid("name", "A pass: name, kind, event_ids and price_minor.");
        }

        var result = await passes.CreateAsync(command, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/passes/{result.Value!.Id}", result.Value);
    }

    public static async Task<Ok<PassList>> ListPasses(PassService passes, CancellationToken ct) => TypedResults.Ok(await passes.ListAsync(ct));

    public static async Task<Results<Ok<PassView>, ProblemHttpResult>> GetPass(Guid id, PassService passes, CancellationToken ct)
    {
        var result = await passes.GetAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Created<PassPurchaseView>, ProblemHttpResult>> CreatePassPurchase(
        Guid id, CreatePassPurchaseCommand? command, HttpContext context, PassService passes, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.Invalid("row", "A purchase: customer_ref (integrators), section, row and number of the seat.");
        }

        var actor = context.GetActor();
        if (actor.IsCustomer)
        {
            if (command.CustomerRef is { Length: > 0 } requested && requested != actor.CustomerRef)
            {
                return Problems.Forbidden("An end user buys passes for themselves only; leave customer_ref out (it comes from the token).");
            }

            command = command with { CustomerRef = actor.CustomerRef, CustomerEmail = command.CustomerEmail ?? actor.Email };
        }

        var result = await passes.PurchaseAsync(id, command, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/pass-purchases/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<PassPurchaseView>, ProblemHttpResult>> GetPassPurchase(
        Guid id, HttpContext context, PassService passes, CancellationToken ct)
    {
        var result = await passes.GetPurchaseAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<PassPaymentView>, ProblemHttpResult>> StartPassPayment(
        Guid id, HttpContext context, PassService passes, CancellationToken ct)
    {
        var result = await passes.StartPaymentAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error, context) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<PassPurchaseView>, ProblemHttpResult>> ConfirmPassPurchase(
        Guid id, HttpContext context, PassService passes, CancellationToken ct)
    {
        var result = await passes.ConfirmAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error
            ? Problems.From(error.WithHint(ErrorCodes.PaymentRequired, $"A payment starts with POST /v1/pass-purchases/{id}/payment."), context)
            : TypedResults.Ok(result.Value!);
    }
}
