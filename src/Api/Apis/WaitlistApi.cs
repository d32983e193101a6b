using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Rules;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Waitlist;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Waitlists of sold-out classes: join (end users for themselves, integrators for a customer), read and leave one's
/// entries. Offers are made by the worker as short exclusive holds (outbox <c>waitlist.offered</c>).
/// </summary>
public static class WaitlistApi
{
    public static RouteGroupBuilder MapWaitlistApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Waitlist");

        api.MapPost("/events/{id:guid}/waitlist", JoinWaitlist).WithName("JoinWaitlist")
            .WithSummary("Join the waitlist of a sold-out class (joining again returns the same entry)")
            .RequireAuthorization(ApiPolicies.OrdersWrite);
        api.MapGet("/events/{id:guid}/waitlist/me", GetMyWaitlistEntries).WithName("GetMyWaitlistEntries")
            .WithSummary("The signed-in end user's waitlist entries for an event, with offers")
            .RequireAuthorization(ApiPolicies.Customer);
        api.MapDelete("/events/{id:guid}/waitlist/me", LeaveWaitlist).WithName("LeaveWaitlist")
            .WithSummary("Leave the event's waitlists")
            .RequireAuthorization(ApiPolicies.Customer);

        return api;
    }

    public static async Task<Results<Ok<WaitlistEntryView>, ProblemHttpResult>> JoinWaitlist(
        Guid id, JoinWaitlistCommand command, HttpContext context, WaitlistService waitlist, GuestCheckoutGuard guestCheckout, CancellationToken ct)
    {
        var actor = context.GetActor();
        // an entry is a hold to come (the worker makes it for the entry's customer when seats come back): where guest
        // checkout is off, a guest may not queue for one either
        if (await guestCheckout.CheckAsync(actor, command.CustomerRef, ct) is { } guestRefused)
        {
            return guestRefused;
        }

        if (actor.IsCustomer)
        {
            if (command.CustomerRef is { Length: > 0 } requested && requested != actor.CustomerRef)
            {
                return Problems.Forbidden("An end user joins a waitlist for themselves only; leave customer_ref out (it comes from the token).");
            }

            command = command with { CustomerRef = actor.CustomerRef, CustomerEmail = command.CustomerEmail ?? actor.Email };
        }

        var result = await waitlist.JoinAsync(id, command, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<WaitlistEntries>, ProblemHttpResult>> GetMyWaitlistEntries(
        Guid id, HttpContext context, WaitlistService waitlist, CancellationToken ct)
    {
        var entries = await waitlist.ListAsync(id, context.GetActor().CustomerRef!, ct);
        return entries.Count == 0 ? NotOnWaitlist(id) : TypedResults.Ok(new WaitlistEntries(entries));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LeaveWaitlist(Guid id, HttpContext context, WaitlistService waitlist, CancellationToken ct) =>
        await waitlist.LeaveAsync(id, context.GetActor().CustomerRef!, ct) == 0 ? NotOnWaitlist(id) : TypedResults.NoContent();

    private static ProblemHttpResult NotOnWaitlist(Guid eventId) =>
        Problems.From(new InventoryError(ErrorCodes.WaitlistEntryNotFound, $"You are not waiting for tickets of event '{eventId}'."));
}

/// <summary>A customer's waitlist entries, newest first.</summary>
public sealed record WaitlistEntries(IReadOnlyList<WaitlistEntryView> Entries);
