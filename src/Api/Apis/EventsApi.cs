using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Input;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Tenancy;

namespace TicketAspire.Api.Apis;

/// <summary>Event types, events, their availability and seat maps: browsing is public per reseller host; creating needs a token.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Events");

        api.MapGet("/event-types", GetEventTypes).WithName("ListEventTypes").WithSummary("List event types");
        api.MapGet("/events", ListEvents).WithName("ListEvents").WithSummary("List and search events");
        api.MapPost("/events", CreateEvent).WithName("CreateEvent").WithSummary("Create an event with its venue and ticket classes")
            .RequireAuthorization(ApiPolicies.InventoryWrite).WithEventBodyLimit(app.ServiceProvider);
        api.MapGet("/events/{id:guid}", GetEvent).WithName("GetEvent").WithSummary("Get an event with classes, prices and live availability");
        api.MapPatch("/events/{id:guid}", UpdateEvent).WithName("UpdateEvent")
            .WithSummary("Change an event: anything while nothing is sold (the seat plan while nothing was held), then only starts_at and description, telling every ticket holder")
            .RequireAuthorization(ApiPolicies.InventoryWrite).WithEventBodyLimit(app.ServiceProvider);
        api.MapGet("/events/{id:guid}/history", GetEventHistory).WithName("GetEventHistory")
            .WithSummary("The event's changes, oldest first, each with its values before and after")
            .RequireAuthorization(ApiPolicies.InventoryRead);
        api.MapPut("/events/{id:guid}/pricing", SetEventPricing).WithName("SetEventPricing")
            .WithSummary("Opt an event in to dynamic pricing (where the reseller's rules allow it) and cap its price")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapPut("/events/{id:guid}/ticket-policy", SetTicketPolicy).WithName("SetTicketPolicy")
            .WithSummary("The organizer turns the resale or the transfer of the event's tickets on or off")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapPost("/events/{id:guid}/cancel", CancelEvent).WithName("CancelEvent")
            .WithSummary("Cancel an event: no more sales, and every paid order is refunded")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapGet("/events/{id:guid}/seats", GetSeatMap).WithName("GetSeatMap")
            .WithSummary("Get the seat map with each seat's status, in pages of up to 5000 seats (cursor, limit; next_cursor)");

        return api;
    }

    public static async Task<Results<Ok<EventDetail>, ProblemHttpResult>> SetTicketPolicy(
        Guid id, TicketPolicyCommand? request, EventCatalog catalog, CancellationToken ct)
    {
        if (request is not { ResaleAllowed: not null } and not { TransfersAllowed: not null })
        {
            return Problems.Invalid("resale_allowed", "Give resale_allowed, transfers_allowed or both (true or false).");
        }

        var result = await catalog.SetTicketPolicyAsync(id, request, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<EventCancellationView>, ProblemHttpResult>> CancelEvent(
        Guid id, CancelEventRequest? request, HttpContext context, EventCancellation cancellation, CancellationToken ct)
    {
        var result = await cancellation.CancelAsync(id, $"integrator:{context.GetActor().ClientId}", request?.Reason, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<EventUpdated>, ProblemHttpResult>> UpdateEvent(
        Guid id, UpdateEventCommand? command, HttpContext context, EventChanges changes, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.Invalid("name", "A JSON object with the fields to change.");
        }

        var actor = context.GetActor();
        var result = await changes.UpdateAsync(id, command, actor.IsStaff ? $"staff:{actor.ClientId}" : $"integrator:{actor.ClientId}", ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<EventHistory>, ProblemHttpResult>> GetEventHistory(Guid id, EventChanges changes, CancellationToken ct)
    {
        var result = await changes.HistoryAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static Ok<EventTypesResponse> GetEventTypes() => TypedResults.Ok(new EventTypesResponse(EventTypes.All));

    public static async Task<Results<Ok<EventPage>, ProblemHttpResult>> ListEvents(HttpRequest request, EventCatalog events, CancellationToken ct)
    {
        var query = ParseQuery(request.Query, out var errors);
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        return TypedResults.Ok(await events.ListAsync(query, ct));
    }

    public static async Task<Results<Created<EventDetail>, ProblemHttpResult>> CreateEvent(
        CreateEventCommand command, EventCatalog events, IOptions<CellOptions> cell, CancellationToken ct)
    {
        var result = await events.CreateAsync(command, cell.Value.Currency, ct);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Created($"/v1/events/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<EventDetail>, ProblemHttpResult>> GetEvent(
        Guid id, EventCatalog events, InventoryCache cache, TimeProvider time, CancellationToken ct)
    {
        var result = await events.GetAsync(id, ct);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        // a demand signal of dynamic pricing (one INCR in the reseller's Redis, not awaited; lost without Redis)
        cache.CountView(id, time.GetUtcNow());
        return TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<EventDetail>, ProblemHttpResult>> SetEventPricing(
        Guid id, DynamicPricingInput input, EventCatalog events, CancellationToken ct)
    {
        var result = await events.SetPricingAsync(id, input, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<SeatMap>, ProblemHttpResult>> GetSeatMap(Guid id, HttpRequest request, EventCatalog events, CancellationToken ct)
    {
        // keyset pages: cursor (from next_cursor) and limit, 1..5000 seats, all of a small event by default
        var errors = new Dictionary<string, string[]>();
        int? after = null;
        if (request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
            {
                after = ordinal;
            }
            else
            {
                errors["cursor"] = ["The next_cursor of a previous page."];
            }
        }

        var limit = EventCatalog.SeatMapPageSize;
        if (request.Query["limit"].ToString() is { Length: > 0 } text
            && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= EventCatalog.SeatMapPageSize))
        {
            errors["limit"] = [$"A whole number from 1 to {EventCatalog.SeatMapPageSize}."];
        }

        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var result = await events.GetSeatMapAsync(id, after, limit, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    /// <summary>Reads seed 001's filters; every invalid value becomes a field error.</summary>
    public static EventQuery ParseQuery(IQueryCollection q, out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>();
        string? Text(string key, int max = 100)
        {
            var v = q[key].ToString();
            if (string.IsNullOrWhiteSpace(v)) { return null; }
            if (v.Length > max) { found[key] = [$"At most {max} characters."]; }
            return v.Trim();
        }

        DateTimeOffset? Date(string key)
        {
            var v = Text(key);
            if (v is null) { return null; }
            if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) { return d; }
            found[key] = ["An ISO 8601 date or date-time."];
            return null;
        }

        var type = Text("type");
        if (type is not null && !EventTypes.IsKnown(type)) { found["type"] = [$"Unknown type; see /v1/event-types."]; }
        var sortBy = Text("sort_by") ?? "date";
        if (sortBy == "event_name") { sortBy = "name"; }
        if (sortBy is not ("date" or "name" or "location")) { found["sort_by"] = ["One of: date, name, location."]; }
        var order = Text("order") ?? "asc";
        if (order is not ("asc" or "desc")) { found["order"] = ["asc or desc."]; }
        var query = new EventQuery(type, Text("location"), Date("date_from"), Date("date_to"), sortBy, order == "desc",
            Paging.Page(q, found), Paging.Size(q, found));
        if (query.DateFrom > query.DateTo) { found["date_to"] = ["Must not be before date_from."]; }
        errors = found;
        return query;
    }
}

/// <summary>The event types.</summary>
public sealed record EventTypesResponse(IReadOnlyList<EventType> EventTypes);

/// <summary>Why an event is cancelled (shown to resellers' webhooks).</summary>
public sealed record CancelEventRequest(string? Reason);
