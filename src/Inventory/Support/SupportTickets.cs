using System.Data;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Support;

/// <summary>
/// Support tickets of one reseller database: the reseller opens one with a first message, either side replies, support
/// resolves, either side closes. A reply sets the status by who wrote it (the reseller: <c>waiting_on_support</c>, which
/// also reopens a resolved ticket; support: <c>waiting_on_reseller</c>); a closed ticket takes nothing more. Each change
/// is one conditional UPDATE of the ticket row, so concurrent replies and status changes are serialized on it: every
/// reply gets its own place in the thread, and the status is that of the last change. A support reply is told to the
/// reseller's webhooks (outbox <c>support_ticket.replied</c>).
/// </summary>
public sealed class SupportTickets(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>The outbox topic of a support reply.</summary>
    public const string RepliedTopic = "support_ticket.replied";

    private const string Columns = "id, number, subject, category, priority, status, opened_by_kind, opened_by, message_count, created_at, updated_at";

    // the outbox row of a support message, in the statement that stores it ($4: author kind, $6: now)
    private const string Outbox = """
        o AS (INSERT INTO outbox (topic, aggregate_id, payload, created_at)
              SELECT 'support_ticket.replied', m.ticket_id, jsonb_build_object('ticket_id', m.ticket_id, 'number', t.number, 'status', t.status,
                     'message_id', m.id, 'seq', m.seq, 'author_kind', m.author_kind), $6
              FROM m JOIN t ON t.id = m.ticket_id WHERE $4 = 'support')
        """;

    /// <summary>Opens a ticket with its first message: <c>open</c> from the reseller, <c>waiting_on_reseller</c> from support.</summary>
    public async Task<Result<SupportTicketView>> OpenAsync(SupportAuthor author, OpenSupportTicketCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(cmd);
        var errors = new Dictionary<string, string[]>();
        var (subject, subjectError) = SupportTicketInput.Subject(cmd.Subject);
        var (body, bodyError) = SupportTicketInput.Body(cmd.Body);
        if (subjectError is not null) { errors["subject"] = [subjectError]; }
        if (bodyError is not null) { errors["body"] = [bodyError]; }
        var category = cmd.Category ?? "general";
        var priority = cmd.Priority ?? "normal";
        if (!SupportTicketKinds.Categories.Contains(category)) { errors["category"] = [$"One of: {string.Join(", ", SupportTicketKinds.Categories)}."]; }
        if (!SupportTicketKinds.Priorities.Contains(priority)) { errors["priority"] = [$"One of: {string.Join(", ", SupportTicketKinds.Priorities)}."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var cmdOpen = db.CreateCommand($"""
            WITH t AS (
                INSERT INTO support_tickets (id, subject, category, priority, status, opened_by_kind, opened_by, message_count, created_at, updated_at)
                VALUES ($1, $7, $8, $9, $3, $4, $5, 1, $6, $6)
                RETURNING id, number, status),
            m AS (
                INSERT INTO support_ticket_messages (id, ticket_id, seq, author_kind, author, body, created_at)
                SELECT $2, t.id, 1, $4, $5, $10, $6 FROM t
                RETURNING id, ticket_id, seq, author_kind),
            {Outbox}
            SELECT count(*) FROM m
            """);
        AddParameters(cmdOpen, id, Guid.CreateVersion7(now), author.IsSupport ? SupportTicketStatuses.WaitingOnReseller : SupportTicketStatuses.Open, author, now);
        cmdOpen.Parameters.Add(new() { Value = subject! });
        cmdOpen.Parameters.Add(new() { Value = category });
        cmdOpen.Parameters.Add(new() { Value = priority });
        cmdOpen.Parameters.Add(new() { Value = body! });
        await cmdOpen.ExecuteNonQueryAsync(ct);
        return await GetAsync(id, ct);
    }

    /// <summary>A page of tickets, newest first, optionally of one <paramref name="status"/>.</summary>
    public async Task<Result<SupportTicketPage>> ListAsync(string? status, int page, int size, CancellationToken ct)
    {
        if (status is not null && !SupportTicketStatuses.All.Contains(status))
        {
            return InventoryError.Validation(new Dictionary<string, string[]> { ["status"] = [$"One of: {string.Join(", ", SupportTicketStatuses.All)}."] });
        }

        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM support_tickets WHERE ($1::text IS NULL OR status = $1) ORDER BY number DESC LIMIT $2 OFFSET $3
            """);
        cmd.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = size });
        cmd.Parameters.Add(new() { Value = (long)(page - 1) * size });
        var tickets = new List<SupportTicketSummary>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tickets.Add(ReadSummary(reader));
        }

        return new SupportTicketPage(tickets, page, size);
    }

    /// <summary>A ticket with its thread (read in one snapshot: the count and the messages agree).</summary>
    public async Task<Result<SupportTicketView>> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        SupportTicketSummary ticket;
        await using (var cmd = new NpgsqlCommand($"SELECT {Columns} FROM support_tickets WHERE id = $1", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = id });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return NotFound(id);
            }

            ticket = ReadSummary(reader);
        }

        var messages = new List<SupportTicketMessage>(ticket.MessageCount);
        await using (var cmd = new NpgsqlCommand("""
            SELECT id, seq, author_kind, author, body, created_at FROM support_ticket_messages WHERE ticket_id = $1 ORDER BY seq
            """, conn, tx))
        {
            cmd.Parameters.Add(new() { Value = id });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                messages.Add(new SupportTicketMessage(reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        await tx.CommitAsync(ct);
        return new SupportTicketView(ticket.Id, ticket.Number, ticket.Subject, ticket.Category, ticket.Priority, ticket.Status, ticket.OpenedByKind,
            ticket.OpenedBy, ticket.MessageCount, ticket.CreatedAt, ticket.UpdatedAt, messages);
    }

    /// <summary>
    /// Adds a reply to the thread and sets the status by its author. <see cref="ErrorCodes.SupportTicketClosed"/> once closed;
    /// <see cref="ErrorCodes.SupportTicketThreadFull"/> at <see cref="SupportTicketInput.MaxMessages"/> messages.
    /// </summary>
    public async Task<Result<SupportReply>> ReplyAsync(Guid id, SupportAuthor author, SupportReplyCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(cmd);
        var (body, error) = SupportTicketInput.Body(cmd.Body);
        if (error is not null)
        {
            return InventoryError.Validation(new Dictionary<string, string[]> { ["body"] = [error] });
        }

        var now = time.GetUtcNow();
        var messageId = Guid.CreateVersion7(now);
        await using var reply = db.CreateCommand($"""
            WITH t AS (
                UPDATE support_tickets SET status = $3, message_count = message_count + 1, updated_at = $6
                WHERE id = $1 AND status <> 'closed' AND message_count < $7
                RETURNING {Columns}),
            m AS (
                INSERT INTO support_ticket_messages (id, ticket_id, seq, author_kind, author, body, created_at)
                SELECT $2, t.id, t.message_count, $4, $5, $8, $6 FROM t
                RETURNING id, ticket_id, seq, author_kind),
            {Outbox}
            SELECT {Columns} FROM t
            """);
        AddParameters(reply, id, messageId, author.IsSupport ? SupportTicketStatuses.WaitingOnReseller : SupportTicketStatuses.WaitingOnSupport, author, now);
        reply.Parameters.Add(new() { Value = SupportTicketInput.MaxMessages });
        reply.Parameters.Add(new() { Value = body! });
        await using (var reader = await reply.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                var ticket = ReadSummary(reader);
                return new SupportReply(ticket, new SupportTicketMessage(messageId, ticket.MessageCount, author.Kind, author.Id, body!, now));
            }
        }

        return await RefusalAsync(id, ct) switch
        {
            null => new InventoryError(ErrorCodes.SupportTicketThreadFull, $"The ticket has {SupportTicketInput.MaxMessages} messages, the most a thread holds; open a new ticket."),
            var refusal => refusal,
        };
    }

    /// <summary>
    /// Resolves (support only: <see cref="ErrorCodes.SupportTicketStatusNotAllowed"/> for the reseller) or closes (either side) a
    /// ticket; asking for the status it has changes nothing; a closed ticket is <see cref="ErrorCodes.SupportTicketClosed"/>.
    /// </summary>
    public async Task<Result<SupportTicketSummary>> ChangeStatusAsync(Guid id, SupportAuthor author, SupportStatusCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Status is not (SupportTicketStatuses.Resolved or SupportTicketStatuses.Closed))
        {
            return InventoryError.Validation(new Dictionary<string, string[]> { ["status"] = ["resolved (support only) or closed; a reply sets the other statuses."] });
        }

        if (cmd.Status == SupportTicketStatuses.Resolved && !author.IsSupport)
        {
            return new InventoryError(ErrorCodes.SupportTicketStatusNotAllowed, "Only support resolves a ticket; the reseller may close it.");
        }

        await using var change = db.CreateCommand($"""
            UPDATE support_tickets SET status = $2, updated_at = $3 WHERE id = $1 AND status NOT IN ('closed', $2) RETURNING {Columns}
            """);
        change.Parameters.Add(new() { Value = id });
        change.Parameters.Add(new() { Value = cmd.Status });
        change.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using (var reader = await change.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                return ReadSummary(reader);
            }
        }

        var current = await GetAsync(id, ct);
        if (current.Value is { } ticket && ticket.Status == cmd.Status)
        {
            return new SupportTicketSummary(ticket.Id, ticket.Number, ticket.Subject, ticket.Category, ticket.Priority, ticket.Status, ticket.OpenedByKind,
                ticket.OpenedBy, ticket.MessageCount, ticket.CreatedAt, ticket.UpdatedAt);
        }

        return (await RefusalAsync(id, ct))!;
    }

    // why a ticket took no change: not found, closed, or null (open: the thread is full)
    private async Task<InventoryError?> RefusalAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT status FROM support_tickets WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return await cmd.ExecuteScalarAsync(ct) switch
        {
            null => NotFound(id),
            SupportTicketStatuses.Closed => new InventoryError(ErrorCodes.SupportTicketClosed, $"Support ticket '{id}' is closed; open a new one."),
            _ => null,
        };
    }

    private static InventoryError NotFound(Guid id) => InventoryError.NotFound(ErrorCodes.SupportTicketNotFound, "Support ticket", id);

    private static void AddParameters(NpgsqlCommand cmd, Guid ticketId, Guid messageId, string status, SupportAuthor author, DateTimeOffset now)
    {
        cmd.Parameters.Add(new() { Value = ticketId });
        cmd.Parameters.Add(new() { Value = messageId });
        cmd.Parameters.Add(new() { Value = status });
        cmd.Parameters.Add(new() { Value = author.Kind });
        cmd.Parameters.Add(new() { Value = author.Id });
        cmd.Parameters.Add(new() { Value = now });
    }

    private static SupportTicketSummary ReadSummary(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt32(8),
        r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10));
}
