using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Idempotency;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Tickets;
using TicketAspire.Inventory.Transfers;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Transfers to another person by e-mail: the owner (or the reseller's back end) sends a ticket to an address, the
/// recipient claims it with the token of the e-mail (7 days, once) and gets a new ticket with a new code. Refused where the
/// jurisdiction or the reseller (<c>transfers_allowed</c>, read through <see cref="RuleBook"/>) or the event forbids it.
/// </summary>
public static class TransfersApi
{
    public static RouteGroupBuilder MapTransfersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Transfers");

        api.MapPost("/tickets/{id:guid}/transfer", StartTransfer).WithName("StartTransfer")
            .WithSummary("Send a ticket to another person by e-mail; they claim it with the e-mailed token within 7 days")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();
        api.MapGet("/transfers/{id:guid}", GetTransfer).WithName("GetTransfer").WithSummary("Get a transfer (its sender's view)")
            .RequireAuthorization(ApiPolicies.OrdersRead);
        api.MapDelete("/transfers/{id:guid}", CancelTransfer).WithName("CancelTransfer").WithSummary("Cancel a pending transfer")
            .RequireAuthorization(ApiPolicies.OrdersWrite);
        api.MapPost("/transfers/claim", ClaimTransfer).WithName("ClaimTransfer")
            .WithSummary("Claim a transferred ticket with the e-mailed token: it is reissued to the claimer with a new code")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();

        return api;
    }

    public static async Task<Results<Created<TransferView>, ProblemHttpResult>> StartTransfer(
        Guid id, StartTransferRequest? request, HttpContext context, TransferService transfers, RuleBook rules, CancellationToken ct)
    {
        var result = await transfers.StartAsync(new StartTransferCommand(id, request?.ToEmail, request?.Message), context.GetActor().CustomerRef,
            await rules.TransfersAllowedAsync(ct), ct);
        // the claim token is not in the answer: it goes to the recipient's address only
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/transfers/{result.Value!.Transfer.Id}", result.Value.Transfer);
    }

    public static async Task<Results<Ok<TransferView>, ProblemHttpResult>> GetTransfer(Guid id, HttpContext context, TransferService transfers, CancellationToken ct)
    {
        var result = await transfers.GetAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<TransferView>, ProblemHttpResult>> CancelTransfer(Guid id, HttpContext context, TransferService transfers, CancellationToken ct)
    {
        var result = await transfers.CancelAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<OwnedTicket>, ProblemHttpResult>> ClaimTransfer(
        ClaimTransferRequest? request, HttpContext context, TransferService transfers, RuleBook rules, CancellationToken ct)
    {
        var actor = context.GetActor();
        var claimer = request?.CustomerRef;
        if (actor.IsCustomer)
        {
            if (claimer is { Length: > 0 } named && named != actor.CustomerRef)
            {
                return Problems.Forbidden("An end user claims a ticket for themselves only; leave customer_ref out (it comes from the token).");
            }

            claimer = actor.CustomerRef;
        }

        var result = await transfers.ClaimAsync(request?.Token, claimer, await rules.TransfersAllowedAsync(ct), ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }
}

/// <summary>Whom to send the ticket to, and a short message (at most 500 characters).</summary>
public sealed record StartTransferRequest(string? ToEmail, string? Message);

/// <summary>The claim token of the e-mail; a back end names the claimer (<c>customer_ref</c>), an end user claims for themselves.</summary>
public sealed record ClaimTransferRequest(string? Token, string? CustomerRef);
