using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Webhooks.Model;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Api.Apis;

/// <summary>
/// A reseller's webhook endpoints (Standard Webhooks): register, change, rotate the signing secret, list deliveries and
/// messages, replay. The secret is shown only when an endpoint is created or its secret rotated.
/// </summary>
public static class WebhooksApi
{
    private const int MaxUrlLength = 2000;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(ApiPolicies.WebhooksManage);

        api.MapGet("/event-types", ListWebhookEventTypes).WithName("ListWebhookEventTypes").WithSummary("The event types an endpoint can subscribe to");
        api.MapPost("/endpoints", CreateWebhookEndpoint).WithName("CreateWebhookEndpoint").WithSummary("Register an endpoint; answers its signing secret");
        api.MapGet("/endpoints", ListWebhookEndpoints).WithName("ListWebhookEndpoints").WithSummary("List the endpoints");
        api.MapGet("/endpoints/{id:guid}", GetWebhookEndpoint).WithName("GetWebhookEndpoint").WithSummary("Get an endpoint");
        api.MapPatch("/endpoints/{id:guid}", UpdateWebhookEndpoint).WithName("UpdateWebhookEndpoint")
            .WithSummary("Change an endpoint's URL, description, event types or enabled flag (re-enabling a disabled endpoint)");
        api.MapDelete("/endpoints/{id:guid}", DeleteWebhookEndpoint).WithName("DeleteWebhookEndpoint").WithSummary("Delete an endpoint and its deliveries");
        api.MapPost("/endpoints/{id:guid}/secret/rotate", RotateWebhookSecret).WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret; the previous one keeps signing for the overlap (24 h)");
        api.MapGet("/endpoints/{id:guid}/deliveries", ListWebhookDeliveries).WithName("ListWebhookDeliveries")
            .WithSummary("An endpoint's deliveries, newest first (filters: status; page, size)");
        api.MapPost("/endpoints/{id:guid}/replay", ReplayWebhookEndpoint).WithName("ReplayWebhookEndpoint")
            .WithSummary("Queue again an endpoint's deliveries of one status (default dead), optionally since a time");
        api.MapGet("/messages", ListWebhookMessages).WithName("ListWebhookMessages").WithSummary("The messages, newest first (filters: event_type; page, size)");
        api.MapPost("/deliveries/{id:guid}/replay", ReplayWebhookDelivery).WithName("ReplayWebhookDelivery")
            .WithSummary("Queue a delivery again, due now, with the same webhook-id");

        return api;
    }

    public static Ok<WebhookEventTypesResponse> ListWebhookEventTypes() => TypedResults.Ok(new WebhookEventTypesResponse(WebhookEventTypes.All));

    public static async Task<Results<Created<WebhookEndpointWithSecret>, ProblemHttpResult>> CreateWebhookEndpoint(
        CreateWebhookEndpointRequest request, WebhookUrlPolicy policy, WebhookEndpointStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Url)) { errors["url"] = ["Required."]; }
        Validate(request.Url, request.Description, request.EventTypes, errors);
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        if (await policy.RefusalAsync(request.Url!.Trim(), ct) is { } refused)
        {
            return WebhookProblems.Refused(refused);
        }

        var created = await store.CreateAsync(request.Url.Trim(), request.Description?.Trim(), [.. (request.EventTypes ?? []).Distinct(StringComparer.Ordinal)], ct);
        return created is null ? WebhookProblems.LimitReached(store.MaxEndpoints) : TypedResults.Created($"/v1/webhooks/endpoints/{created.Id}", created);
    }

    public static async Task<Ok<WebhookEndpointList>> ListWebhookEndpoints(WebhookEndpointStore store, CancellationToken ct) =>
        TypedResults.Ok(new WebhookEndpointList(await store.ListAsync(ct)));

    public static async Task<Results<Ok<WebhookEndpoint>, ProblemHttpResult>> GetWebhookEndpoint(Guid id, WebhookEndpointStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } endpoint ? TypedResults.Ok(endpoint) : WebhookProblems.EndpointMissing();

    public static async Task<Results<Ok<WebhookEndpoint>, ProblemHttpResult>> UpdateWebhookEndpoint(
        Guid id, UpdateWebhookEndpointRequest request, WebhookUrlPolicy policy, WebhookEndpointStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Url is not null && string.IsNullOrWhiteSpace(request.Url)) { errors["url"] = ["Must not be empty."]; }
        Validate(request.Url, request.Description, request.EventTypes, errors);
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        if (request.Url is { } url && await policy.RefusalAsync(url.Trim(), ct) is { } refused)
        {
            return WebhookProblems.Refused(refused);
        }

        var updated = await store.UpdateAsync(id, request.Url?.Trim(), request.Description?.Trim(),
            request.EventTypes is { } types ? [.. types.Distinct(StringComparer.Ordinal)] : null, request.Enabled, ct);
        return updated is null ? WebhookProblems.EndpointMissing() : TypedResults.Ok(updated);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhookEndpoint(Guid id, WebhookEndpointStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : WebhookProblems.EndpointMissing();

    public static async Task<Results<Ok<RotatedSecret>, ProblemHttpResult>> RotateWebhookSecret(Guid id, WebhookEndpointStore store, CancellationToken ct) =>
        await store.RotateSecretAsync(id, ct) is { } rotated ? TypedResults.Ok(rotated) : WebhookProblems.EndpointMissing();

    public static async Task<Results<Ok<ResultPage<WebhookDelivery>>, ProblemHttpResult>> ListWebhookDeliveries(
        Guid id, HttpRequest request, WebhookEndpointStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        var status = Status(request.Query["status"].ToString(), errors);
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        if (await store.GetAsync(id, ct) is null)
        {
            return WebhookProblems.EndpointMissing();
        }

        return TypedResults.Ok(await store.DeliveriesAsync(id, status, page, size, ct));
    }

    public static async Task<Results<Ok<ReplayResponse>, ProblemHttpResult>> ReplayWebhookEndpoint(
        Guid id, HttpRequest request, WebhookEndpointStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var status = Status(request.Query["status"].ToString(), errors) ?? DeliveryStatus.Dead;
        DateTimeOffset? since = null;
        if (request.Query["since"].ToString() is { Length: > 0 } s)
        {
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) { since = d; }
            else { errors["since"] = ["An ISO 8601 date or date-time."]; }
        }

        if (status == DeliveryStatus.Pending) { errors["status"] = ["One of: dead, delivered, disabled (pending deliveries are queued already)."]; }
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        if (await store.GetAsync(id, ct) is not { } endpoint)
        {
            return WebhookProblems.EndpointMissing();
        }

        if (!endpoint.Enabled)
        {
            return WebhookProblems.Disabled();
        }

        return TypedResults.Ok(new ReplayResponse(await store.ReplayEndpointAsync(id, status, since, ct) ?? 0));
    }

    public static async Task<Results<Ok<ResultPage<WebhookMessage>>, ProblemHttpResult>> ListWebhookMessages(
        HttpRequest request, WebhookEndpointStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        var type = request.Query["event_type"].ToString();
        if (type.Length > 0 && !WebhookEventTypes.IsKnown(type)) { errors["event_type"] = ["Unknown event type; see /v1/webhooks/event-types."]; }
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        return TypedResults.Ok(await store.MessagesAsync(type.Length > 0 ? type : null, page, size, ct));
    }

    public static async Task<Results<Accepted<ReplayResponse>, ProblemHttpResult>> ReplayWebhookDelivery(Guid id, WebhookEndpointStore store, CancellationToken ct) =>
        await store.ReplayAsync(id, ct) switch
        {
            null => WebhookProblems.DeliveryMissing(),
            false => WebhookProblems.Disabled(),
            true => TypedResults.Accepted((string?)null, new ReplayResponse(1)),
        };

    private static void Validate(string? url, string? description, IReadOnlyList<string>? eventTypes, Dictionary<string, string[]> errors)
    {
        if (url is { Length: > MaxUrlLength }) { errors["url"] = [$"At most {MaxUrlLength} characters."]; }
        if (description is { Length: > 500 }) { errors["description"] = ["At most 500 characters."]; }
        if (eventTypes is { Count: > 50 }) { errors["event_types"] = ["At most 50 event types."]; }
        else if (eventTypes?.Where(t => t is null || !WebhookEventTypes.IsKnown(t)).ToList() is { Count: > 0 } unknown)
        {
            errors["event_types"] = [$"Unknown event types: {string.Join(", ", unknown)}; see /v1/webhooks/event-types. An empty list subscribes to all."];
        }
    }

    private static DeliveryStatus? Status(string value, Dictionary<string, string[]> errors)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (Enum.TryParse<DeliveryStatus>(value, ignoreCase: true, out var status) && !int.TryParse(value, out _))
        {
            return status;
        }

        errors["status"] = ["One of: pending, delivered, dead, disabled."];
        return null;
    }
}

/// <summary>Register an endpoint: an https URL (http and loopback only in a development cell); no event types = all.</summary>
public sealed record CreateWebhookEndpointRequest(string? Url, string? Description, IReadOnlyList<string>? EventTypes);

/// <summary>Change an endpoint: only the fields sent change.</summary>
public sealed record UpdateWebhookEndpointRequest(string? Url, string? Description, IReadOnlyList<string>? EventTypes, bool? Enabled);

/// <summary>The endpoints.</summary>
public sealed record WebhookEndpointList(IReadOnlyList<WebhookEndpoint> Endpoints);

/// <summary>The event types.</summary>
public sealed record WebhookEventTypesResponse(IReadOnlyList<string> EventTypes);

/// <summary>How many deliveries were queued again.</summary>
public sealed record ReplayResponse(int Queued);
