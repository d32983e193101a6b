using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Api.Apis;

/// <summary>
/// What the cell's support staff do for a reseller's buyers, on the reseller's host: send an order's tickets again (the
/// order confirmation e-mail, through the outbox as the sale sends it) and end an account's hold-abuse block. Staff
/// only; every call is in the reseller's audit log before it runs.
/// </summary>
public static class SupportActionsApi
{
    /// <summary>The outbox topic of tickets sent again (its e-mail is the order confirmation).</summary>
    public const string TicketsResentTopic = "order.tickets_resent";

    public static RouteGroupBuilder MapSupportActionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Support");

        api.MapPost("/orders/{id:guid}/resend-tickets", ResendTickets).WithName("ResendTickets")
            .WithSummary("Send an order's valid tickets again to the buyer's e-mail address (the order confirmation e-mail)")
            .RequireAuthorization(ApiPolicies.Support);
        api.MapDelete("/account-blocks/{id}", UnblockAccount).WithName("UnblockAccount")
            .WithSummary("End an account's hold-abuse block now (holds it let lapse before no longer count)")
            .RequireAuthorization(ApiPolicies.Support);

        return api;
    }

    /// <summary>$1 order, $2 who asked, $3 now: the outbox row (when the order has an address and valid tickets) and why not.</summary>
    private const string ResendSql = """
        WITH o AS (SELECT id, event_id, customer_ref, customer_email FROM orders WHERE id = $1),
        valid AS (SELECT count(*)::int AS n FROM tickets WHERE order_id = $1 AND status = 'valid'),
        queued AS (
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            SELECT 'order.tickets_resent', o.id, o.event_id, jsonb_build_object(
                       'order_id', o.id, 'event_id', o.event_id, 'customer_ref', o.customer_ref, 'customer_email', o.customer_email,
                       'tickets', (SELECT n FROM valid), 'requested_by', $2::text), $3
            FROM o WHERE coalesce(o.customer_email, '') <> '' AND (SELECT n FROM valid) > 0
            RETURNING id)
        SELECT (SELECT count(*)::int FROM o), (SELECT coalesce(customer_email, '') FROM o), (SELECT n FROM valid), (SELECT id FROM queued)
        """;

    public static async Task<Results<Accepted<TicketsResent>, ProblemHttpResult>> ResendTickets(
        Guid id, HttpContext context, ResellerStorage storage, TimeProvider time, CancellationToken ct)
    {
        var actor = context.GetActor();
        await using var cmd = storage.Db.CreateCommand(ResendSql);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = $"staff:{actor.Subject ?? actor.ClientId}" });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt32(0) == 0)
        {
            return Problems.From(InventoryError.NotFound(ErrorCodes.OrderNotFound, "Order", id));
        }

        var email = reader.GetString(1);
        var tickets = reader.IsDBNull(2) ? 0 : reader.GetInt32(2);
        if (reader.IsDBNull(3))
        {
            return Problems.From(new InventoryError(ErrorCodes.OrderNotResendable, email.Length == 0
                ? "The order has no e-mail address to send its tickets to."
                : "The order has no valid tickets (refunded, resold or transferred)."));
        }

        return TypedResults.Accepted($"/v1/orders/{id}", new TicketsResent(id, Mask(email), tickets, reader.GetInt64(3)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> UnblockAccount(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "id")] string customerRef, AccountBlocks blocks, CancellationToken ct)
    {
        customerRef = customerRef.Trim();
        if (customerRef.Length is 0 or > 200)
        {
            return Problems.Invalid("customer_ref", "Required, at most 200 characters.");
        }

        return await blocks.UnblockAsync(customerRef, ct)
            ? TypedResults.NoContent()
            : Problems.From(new InventoryError(ErrorCodes.AccountBlockNotFound, $"The account '{customerRef}' has no block in force."));
    }

    /// <summary><c>a***@example.com</c>: enough for support to confirm it with the buyer, not the whole address.</summary>
    internal static string Mask(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}

/// <summary>Tickets queued to be sent again: the order, the masked address, how many tickets, the outbox row.</summary>
public sealed record TicketsResent(Guid OrderId, string To, int Tickets, long OutboxId);
