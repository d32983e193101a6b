using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Groups;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Group sales: the organizer quotes a large quantity for a group, held until the invoice's due date; records the group's
/// bank payment, which sells the seats (one ticket each, the order's e-mail to the group's contact); or withdraws the
/// quote. Unpaid at the due date, the quote is released and its seats are on sale again.
/// </summary>
public static class GroupQuotesApi
{
    public static RouteGroupBuilder MapGroupQuotesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/events/{eventId:guid}/group-quotes").WithTags("Group sales");

        api.MapPost("/", CreateGroupQuote).WithName("CreateGroupQuote")
            .WithSummary("Quote seats or tickets for a group: held until the invoice's due date, priced with fees and tax")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapGet("/", ListGroupQuotes).WithName("ListGroupQuotes").WithSummary("List the event's group quotes, newest first")
            .RequireAuthorization(ApiPolicies.InventoryRead);
        api.MapGet("/{id:guid}", GetGroupQuote).WithName("GetGroupQuote").WithSummary("Get a group quote with its status")
            .RequireAuthorization(ApiPolicies.InventoryRead);
        api.MapPost("/{id:guid}/payment", RecordGroupQuotePayment).WithName("RecordGroupQuotePayment")
            .WithSummary("Record the group's payment of the invoice: the seats are sold and the tickets issued")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapPost("/{id:guid}/cancel", CancelGroupQuote).WithName("CancelGroupQuote")
            .WithSummary("Withdraw an unpaid quote: its seats go back on sale")
            .RequireAuthorization(ApiPolicies.InventoryWrite);

        return api;
    }

    public static async Task<Results<Created<GroupQuoteView>, ProblemHttpResult>> CreateGroupQuote(
        Guid eventId, CreateGroupQuoteCommand? command, GroupQuoteService quotes, HttpContext context, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.Invalid("organization", "A quote: organization, contact_email, due_at and seat_ids or tickets.");
        }

        var result = await quotes.CreateAsync(eventId, command, $"integrator:{context.GetActor().ClientId}", ct);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Created($"/v1/events/{eventId}/group-quotes/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<GroupQuoteList>, ProblemHttpResult>> ListGroupQuotes(
        Guid eventId, string? status, GroupQuoteService quotes, CancellationToken ct)
    {
        var result = await quotes.ListAsync(eventId, status, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<GroupQuoteView>, ProblemHttpResult>> GetGroupQuote(
        Guid eventId, Guid id, GroupQuoteService quotes, CancellationToken ct)
    {
        var result = await quotes.GetAsync(eventId, id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<GroupQuoteView>, ProblemHttpResult>> RecordGroupQuotePayment(
        Guid eventId, Guid id, RecordInvoicePaymentCommand? command, GroupQuoteService quotes, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.Invalid("reference", "The payment: reference and amount_minor.");
        }

        var result = await quotes.RecordPaymentAsync(eventId, id, command, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<GroupQuoteView>, ProblemHttpResult>> CancelGroupQuote(
        Guid eventId, Guid id, GroupQuoteService quotes, CancellationToken ct)
    {
        var result = await quotes.CancelAsync(eventId, id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }
}
