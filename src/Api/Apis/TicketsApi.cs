using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tickets;

namespace TicketAspire.Api.Apis;

/// <summary>Tickets by owner: one ticket (its owner or the reseller's back end), and the signed-in end user's tickets.</summary>
public static class TicketsApi
{
    /// <summary>Most tickets one list returns.</summary>
    public const int MaxTickets = 200;

    public static RouteGroupBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Tickets");

        api.MapGet("/tickets/{id:guid}", GetTicket).WithName("GetTicket")
            .WithSummary("Get a ticket: its owner, status (valid, resold, transferred, void) and, while valid, its code")
            .RequireAuthorization(ApiPolicies.CheckoutRead);
        api.MapGet("/me/tickets", ListMyTickets).WithName("ListMyTickets").WithSummary("The signed-in end user's (or guest's) tickets, newest first")
            .RequireAuthorization(ApiPolicies.Buyer);

        return api;
    }

    public static async Task<Results<Ok<OwnedTicket>, ProblemHttpResult>> GetTicket(Guid id, HttpContext context, TicketQueries tickets, CancellationToken ct)
    {
        var result = await tickets.GetAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Ok<TicketList>> ListMyTickets(HttpContext context, TicketQueries tickets, CancellationToken ct) =>
        TypedResults.Ok(new TicketList(await tickets.ListByOwnerAsync(context.GetActor().CustomerRef!, MaxTickets, ct)));
}

/// <summary>An owner's tickets.</summary>
public sealed record TicketList(IReadOnlyList<OwnedTicket> Tickets);
