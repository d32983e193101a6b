using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Idempotency;
using TicketAspire.Api.Infrastructure.Rules;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy.Rules;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Resale;

namespace TicketAspire.Api.Apis;

/// <summary>
/// The resale marketplace: an owner lists a ticket (at most the jurisdiction's cap, percent of face value), buyers browse
/// an event's listings and hold one, then pay and confirm the hold as any other (<c>/v1/holds/{id}/payment</c>,
/// <c>/confirm</c>). The cell's rules (resale allowed, price cap; the reseller may narrow them) are read through the
/// <see cref="RuleBook"/> at every listing and every purchase, so a changed rule applies at once.
/// </summary>
public static class ResaleApi
{
    public static RouteGroupBuilder MapResaleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Resale");

        api.MapPost("/tickets/{id:guid}/resale", ListTicket).WithName("ListTicketForResale")
            .WithSummary("List a ticket for resale at an asking price within the jurisdiction's cap")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();
        api.MapGet("/events/{id:guid}/resale", BrowseListings).WithName("ListResaleListings")
            .WithSummary("The event's resale listings a buyer can hold now, cheapest first");
        api.MapGet("/resale/{id:guid}", GetListing).WithName("GetResaleListing").WithSummary("Get a resale listing (its seller's view)")
            .RequireAuthorization(ApiPolicies.OrdersRead);
        api.MapDelete("/resale/{id:guid}", WithdrawListing).WithName("WithdrawResaleListing")
            .WithSummary("Withdraw a resale listing no buyer is paying for")
            .RequireAuthorization(ApiPolicies.OrdersWrite);
        api.MapPost("/resale/{id:guid}/hold", HoldListing).WithName("HoldResaleListing")
            .WithSummary("Hold a resale listing for a buyer; pay and confirm it as any hold")
            .RequireAuthorization(ApiPolicies.OrdersWrite).WithIdempotency();

        return api;
    }

    public static async Task<Results<Created<ListingView>, ProblemHttpResult>> ListTicket(
        Guid id, ListTicketRequest? request, HttpContext context, ResaleService resale, RuleBook rules, CancellationToken ct)
    {
        var terms = await TermsAsync(rules, ct);
        var result = await resale.ListAsync(new ListTicketCommand(id, request?.AskingPriceMinor), context.GetActor().CustomerRef, terms, ct);
        return result.Error is { } error ? Problems.From(error, context) : TypedResults.Created($"/v1/resale/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<ListingPage>, ProblemHttpResult>> BrowseListings(Guid id, ResaleService resale, CancellationToken ct)
    {
        var result = await resale.BrowseAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<ListingView>, ProblemHttpResult>> GetListing(Guid id, HttpContext context, ResaleService resale, CancellationToken ct)
    {
        var result = await resale.GetAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<ListingView>, ProblemHttpResult>> WithdrawListing(Guid id, HttpContext context, ResaleService resale, CancellationToken ct)
    {
        var result = await resale.WithdrawAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Created<HoldView>, ProblemHttpResult>> HoldListing(
        Guid id, HoldListingRequest? request, HttpContext context, ResaleService resale, RuleBook rules, GuestCheckoutGuard guestCheckout, CancellationToken ct)
    {
        var actor = context.GetActor();
        var customerRef = request?.CustomerRef;
        var email = request?.CustomerEmail;
        if (actor.IsCustomer)
        {
            if (customerRef is { Length: > 0 } requested && requested != actor.CustomerRef)
            {
                return Problems.Forbidden("An end user buys for themselves only; leave customer_ref out (it comes from the token).");
            }

            (customerRef, email) = (actor.CustomerRef, email ?? actor.Email);
        }

        // a resale purchase is a purchase: the guest checkout rule applies as to any hold
        if (await guestCheckout.CheckAsync(actor, customerRef?.Trim(), ct) is { } guest)
        {
            return guest;
        }

        var result = await resale.HoldAsync(new BuyListingCommand(id, customerRef, email, request?.ExpireInSeconds), await TermsAsync(rules, ct), ct);
        return result.Error is { } error ? Problems.From(error, context) : TypedResults.Created($"/v1/holds/{result.Value!.Id}", result.Value);
    }

    private static async Task<ResaleTerms> TermsAsync(RuleBook rules, CancellationToken ct) =>
        new(await rules.ResaleAllowedAsync(ct), await rules.ResalePriceCapPercentAsync(ct));
}

/// <summary>The asking price of a listing, in minor units of the event's currency.</summary>
public sealed record ListTicketRequest(long? AskingPriceMinor);

/// <summary>Who buys a listing (an end user: themselves), and how long the hold lasts (seconds, default as for holds).</summary>
public sealed record HoldListingRequest(string? CustomerRef, string? CustomerEmail, int? ExpireInSeconds);
