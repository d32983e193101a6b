using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Idempotency;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Support;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Support tickets between the reseller (by the host: its own database) and the cell's support staff: the reseller's
/// integrator opens one, either side replies, support resolves, either side closes; both see the same thread. Every write
/// is in the reseller's audit log (<see cref="Infrastructure.Audit.AuditMiddleware"/>), support's reads too.
/// </summary>
public static class SupportTicketsApi
{
    public static RouteGroupBuilder MapSupportTicketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/support/tickets").WithTags("Support");

        api.MapPost("/", OpenSupportTicket).WithName("OpenSupportTicket")
            .WithSummary("Open a support ticket with its first message (subject, body, category, priority)")
            .RequireAuthorization(ApiPolicies.SupportTicketsWrite).WithIdempotency();
        api.MapGet("/", ListSupportTickets).WithName("ListSupportTickets").WithSummary("The reseller's support tickets, newest first (filter: status)")
            .RequireAuthorization(ApiPolicies.InventoryRead);
        api.MapGet("/{id:guid}", GetSupportTicket).WithName("GetSupportTicket").WithSummary("A support ticket with its thread, oldest message first")
            .RequireAuthorization(ApiPolicies.InventoryRead);
        api.MapPost("/{id:guid}/messages", ReplyToSupportTicket).WithName("ReplyToSupportTicket")
            .WithSummary("Reply on a ticket: the reseller's reply waits on support (and reopens a resolved ticket), support's waits on the reseller")
            .RequireAuthorization(ApiPolicies.SupportTicketsWrite).WithIdempotency();
        api.MapPost("/{id:guid}/status", ChangeSupportTicketStatus).WithName("ChangeSupportTicketStatus")
            .WithSummary("Resolve (support) or close (either side) a ticket")
            .RequireAuthorization(ApiPolicies.SupportTicketsWrite);

        return api;
    }

    public static async Task<Results<Created<SupportTicketView>, ProblemHttpResult>> OpenSupportTicket(
        OpenSupportTicketRequest? request, HttpContext context, SupportTickets tickets, CancellationToken ct)
    {
        if (request is null)
        {
            return Problems.Invalid("subject", "A ticket: subject and body (category and priority optional).");
        }

        var result = await tickets.OpenAsync(Author(context), new OpenSupportTicketCommand(request.Subject, request.Body, request.Category, request.Priority), ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/support/tickets/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<SupportTicketPage>, ProblemHttpResult>> ListSupportTickets(HttpRequest request, SupportTickets tickets, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        var status = request.Query["status"].ToString();
        if (status.Length > 0 && !SupportTicketStatuses.All.Contains(status))
        {
            errors["status"] = [$"One of: {string.Join(", ", SupportTicketStatuses.All)}."];
        }

        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var result = await tickets.ListAsync(status.Length > 0 ? status : null, page, size, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<SupportTicketView>, ProblemHttpResult>> GetSupportTicket(Guid id, SupportTickets tickets, CancellationToken ct)
    {
        var result = await tickets.GetAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Created<SupportReply>, ProblemHttpResult>> ReplyToSupportTicket(
        Guid id, SupportReplyRequest? request, HttpContext context, SupportTickets tickets, CancellationToken ct)
    {
        var result = await tickets.ReplyAsync(id, Author(context), new SupportReplyCommand(request?.Body), ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/v1/support/tickets/{id}", result.Value!);
    }

    public static async Task<Results<Ok<SupportTicketSummary>, ProblemHttpResult>> ChangeSupportTicketStatus(
        Guid id, SupportStatusRequest? request, HttpContext context, SupportTickets tickets, CancellationToken ct)
    {
        var result = await tickets.ChangeStatusAsync(id, Author(context), new SupportStatusCommand(request?.Status), ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    // the policies let only integrators and support staff through: staff write as support, integrators as the reseller
    private static SupportAuthor Author(HttpContext context)
    {
        var actor = context.GetActor();
        var id = actor.ClientId ?? actor.Subject ?? "unknown";
        return new SupportAuthor(actor.IsStaff ? SupportSides.Support : SupportSides.Reseller, id);
    }
}

/// <summary>A new ticket: <c>subject</c> (one line, at most 200 characters), <c>body</c> (at most 10,000), <c>category</c>, <c>priority</c>.</summary>
public sealed record OpenSupportTicketRequest(string? Subject, string? Body, string? Category, string? Priority);

/// <summary>A reply: <c>body</c> (at most 10,000 characters).</summary>
public sealed record SupportReplyRequest(string? Body);

/// <summary>A status change: <c>resolved</c> (support) or <c>closed</c>.</summary>
public sealed record SupportStatusRequest(string? Status);
