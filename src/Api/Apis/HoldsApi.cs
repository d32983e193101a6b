using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Abuse;
using TicketAspire.Api.Infrastructure.Idempotency;
using TicketAspire.Api.Infrastructure.Rules;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Holds: put seats on hold, read, confirm into an order, cancel. Integrators act for any customer of their reseller;
/// an end user only for themselves (the customer reference comes from the token, and other customers' holds read as not
/// found).
/// </summary>
public static class HoldsApi
{
    private static readonly Task<VelocityRefusal?> NoRefusal = Task.FromResult<VelocityRefusal?>(null);

    public static RouteGroupBuilder MapHoldsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/holds").WithTags("Holds");

        api.MapPost("/", CreateHold).WithName("CreateHold").WithSummary("Hold seats or general-admission tickets, all or nothing")
            .RequireAuthorization(ApiPolicies.Checkout).WithIdempotency();
        api.MapGet("/{id:guid}", GetHold).WithName("GetHold").WithSummary("Get a hold")
            .RequireAuthorization(ApiPolicies.CheckoutRead);
        api.MapPost("/{id:guid}/payment", StartPayment).WithName("StartPayment")
            .WithSummary("Start paying for a hold: the price with its fees, and the PSP intent the buyer confirms")
            .RequireAuthorization(ApiPolicies.Checkout).WithIdempotency();
        api.MapPost("/{id:guid}/confirm", ConfirmHold).WithName("ConfirmHold")
            .WithSummary("Confirm a hold into an order once the PSP reports its payment captured")
            .RequireAuthorization(ApiPolicies.Checkout).WithIdempotency();
        api.MapDelete("/{id:guid}", CancelHold).WithName("CancelHold").WithSummary("Cancel a hold and release its seats")
            .RequireAuthorization(ApiPolicies.Checkout);

        return api;
    }

    public static async Task<Results<Created<HoldView>, ProblemHttpResult>> CreateHold(
        CreateHoldCommand command, HttpContext context, HoldService holds, HoldGuard guard, GuestCheckoutGuard guestCheckout, PresaleService presales,
        CancellationToken ct)
    {
        var actor = context.GetActor();
        // events with a waiting room: the admission token, in the Admission-Token header or the body
        if (command.AdmissionToken is null && context.Request.Headers["Admission-Token"] is [{ Length: > 0 } header])
        {
            command = command with { AdmissionToken = header };
        }

        if (actor.IsCustomer)
        {
            if (command.CustomerRef is { Length: > 0 } requested && requested != actor.CustomerRef)
            {
                return Problems.Forbidden("An end user holds seats for themselves only; leave customer_ref out (it comes from the token).");
            }

            command = command with { CustomerRef = actor.CustomerRef, CustomerEmail = command.CustomerEmail ?? actor.Email };
        }

        // the cell's guest checkout rule (and the reseller's own choice): who may hold without a signed-in end user
        if (await guestCheckout.CheckAsync(actor, command.CustomerRef?.Trim(), ct) is { } guest)
        {
            return guest;
        }

        // before the general on-sale: only inside a presale window, with its code (Presale-Code header) or as a verified fan
        // (an event without a presale costs a cache lookup)
        var presaleCode = context.Request.Headers["Presale-Code"] is [{ Length: > 0 } sent] ? sent : null;
        if (command.EventId is { } eventId && await presales.CheckAsync(eventId, command.CustomerRef?.Trim(), presaleCode, ct) is { } closed)
        {
            return Problems.From(closed);
        }

        // bots, first layer. At the edge: the device id, and velocity per account and device (each refusal audited),
        // spent while the core looks the attempt over; no seat is claimed unless it allows the attempt. In the core:
        // hold-without-confirm blocks, which come first and are audited here.
        var customerRef = command.CustomerRef is { Length: > 0 and <= 200 } given ? given.Trim() : null;
        string? device = null;
        if (customerRef is not null && guard.CheckDevice(context, out device) is { } invalid)
        {
            return invalid;
        }

        var velocity = customerRef is null ? NoRefusal : guard.SpendAsync(customerRef, device);
        var result = await holds.CreateAsync(command, AllowedAsync(velocity), ct);
        if (result.Error is { Code: ErrorCodes.AccountBlocked, Block: { } standing } blocked)
        {
            await velocity;
            await guard.RecordBlockAsync(context, customerRef!, standing);
            return Problems.From(blocked, context);
        }

        if (await velocity is { } refusal)
        {
            return await guard.RefuseAsync(context, customerRef!, device, refusal);
        }

        return result.Error is { } error
            ? Problems.From(error.WithHint(ErrorCodes.AdmissionRequired,
                $"Join the queue with POST /v1/queue/events/{command.EventId}/join, then send the token in the Admission-Token header (or as admission_token)."))
            : TypedResults.Created($"/v1/holds/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<HoldView>, ProblemHttpResult>> GetHold(Guid id, HttpContext context, HoldService holds, CancellationToken ct)
    {
        var result = await holds.GetAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> StartPayment(
        Guid id, HttpContext context, CheckoutService checkout, CancellationToken ct)
    {
        var result = await checkout.StartAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error, context) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<OrderView>, Accepted<PaymentPending>, ProblemHttpResult>> ConfirmHold(
        Guid id, HttpContext context, CheckoutService checkout, CancellationToken ct)
    {
        var result = await checkout.ConfirmAsync(id, context.GetActor().CustomerRef, ct);
        if (result.Error is { Code: ErrorCodes.PaymentPending } pending)
        {
            context.Response.Headers.RetryAfter = "2";
            return TypedResults.Accepted($"/v1/holds/{id}", new PaymentPending(id, (Guid)pending.Extensions!["payment_id"]!, "payment_pending", pending.Detail));
        }

        return result.Error is { } error
            ? Problems.From(error.WithHint(ErrorCodes.PaymentRequired, $"A payment starts with POST /v1/holds/{id}/payment."), context)
            : TypedResults.Ok(result.Value!);
    }

    private static async Task<bool> AllowedAsync(Task<VelocityRefusal?> velocity) => await velocity is null;

    public static async Task<Results<NoContent, ProblemHttpResult>> CancelHold(Guid id, HttpContext context, HoldService holds, CancellationToken ct)
    {
        var result = await holds.CancelAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.NoContent();
    }
}

/// <summary>The PSP is still processing the hold's payment: the order is made when it succeeds; confirm again later.</summary>
public sealed record PaymentPending(Guid HoldId, Guid PaymentId, string Status, string Detail);
