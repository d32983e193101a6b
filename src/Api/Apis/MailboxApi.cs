using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Api.Apis;

/// <summary>
/// The e-mails sent to the reseller's end users (order confirmations, refunds, fraud holds) as the local e-mail sender
/// keeps them: no SMTP server needed to see what a customer received.
/// </summary>
public static class MailboxApi
{
    public static RouteGroupBuilder MapMailboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/mailbox").WithTags("Mailbox").RequireAuthorization(ApiPolicies.MailboxRead);

        api.MapGet("/", ListMailbox).WithName("ListMailbox").WithSummary("E-mails sent, newest first (filters: to; page, size)");
        api.MapGet("/{id:guid}", GetMail).WithName("GetMail").WithSummary("One e-mail with its bodies");

        return api;
    }

    public static async Task<Results<Ok<MailboxPage>, ProblemHttpResult>> ListMailbox(HttpRequest request, ResellerStorage storage, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        var to = request.Query["to"].ToString().Trim();
        if (to.Length > 254) { errors["to"] = ["At most 254 characters."]; }
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        await using var cmd = storage.Db.CreateCommand("""
            SELECT id, kind, from_address, to_address, subject, order_id, created_at, count(*) OVER ()
            FROM mailbox WHERE ($1 = '' OR lower(to_address) = lower($1))
            ORDER BY created_at DESC, id LIMIT $2 OFFSET $3
            """);
        cmd.Parameters.Add(new() { Value = to });
        cmd.Parameters.Add(new() { Value = size });
        cmd.Parameters.Add(new() { Value = (page - 1) * size });
        var mails = new List<MailSummary>();
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            mails.Add(new MailSummary(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetFieldValue<DateTimeOffset>(6)));
            total = reader.GetInt64(7);
        }

        return TypedResults.Ok(new MailboxPage(mails, page, size, total));
    }

    public static async Task<Results<Ok<Mail>, ProblemHttpResult>> GetMail(Guid id, ResellerStorage storage, CancellationToken ct)
    {
        await using var cmd = storage.Db.CreateCommand("""
            SELECT id, kind, from_address, to_address, subject, text_body, html_body, order_id, created_at FROM mailbox WHERE id = $1
            """);
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return WebhookProblems.MailMissing();
        }

        return TypedResults.Ok(new Mail(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetGuid(7),
            reader.GetFieldValue<DateTimeOffset>(8)));
    }
}

/// <summary>A page of the mailbox.</summary>
public sealed record MailboxPage(IReadOnlyList<MailSummary> Mails, int Page, int Size, long Total);

/// <summary>An e-mail without its bodies.</summary>
public sealed record MailSummary(Guid Id, string Kind, string From, string To, string Subject, Guid? OrderId, DateTimeOffset CreatedAt);

/// <summary>An e-mail.</summary>
public sealed record Mail(Guid Id, string Kind, string From, string To, string Subject, string TextBody, string? HtmlBody, Guid? OrderId, DateTimeOffset CreatedAt);
