using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Resale;
using TicketAspire.Inventory.Tickets;

namespace TicketAspire.Inventory.Transfers;

/// <summary>
/// Transfers of tickets to another person by e-mail (seed 000 Q8), for one reseller database. The owner names an address;
/// the recipient is e-mailed a claim token (through the outbox: <c>ticket.transfer_offered</c>, whose token the dispatcher
/// gives the e-mail only), valid for <see cref="ClaimWindow"/> and once; only its SHA-256 is stored. Claiming reissues the
/// ticket to the recipient (<see cref="TicketOwnership"/>): the sender's code dies as <c>transferred</c>. Refused where
/// the jurisdiction (the host's rules) or the event's organizer forbids transfers, once the event started or was
/// cancelled, and for a ticket listed for resale.
/// </summary>
public sealed class TransferService(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>How long a claim token is valid.</summary>
    public static readonly TimeSpan ClaimWindow = TimeSpan.FromDays(7);

    /// <summary>Longest message to the recipient.</summary>
    public const int MaxMessageLength = 500;

    /// <summary>
    /// Starts the transfer of a ticket of <paramref name="ownerRef"/> (null: any owner, the reseller's back end), if
    /// <paramref name="jurisdictionAllows"/> transfers.
    /// </summary>
    public async Task<Result<StartedTransfer>> StartAsync(StartTransferCommand cmd, string? ownerRef, bool jurisdictionAllows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var errors = new Dictionary<string, string[]>();
        if (cmd.TicketId is null || cmd.TicketId == Guid.Empty) { errors["ticket_id"] = ["Required."]; }
        if (cmd.ToEmail is null || !HoldService.IsPlausibleEmail(cmd.ToEmail.Trim())) { errors["to_email"] = ["Required: an e-mail address, at most 254 characters."]; }
        if (cmd.Message is { Length: > MaxMessageLength }) { errors["message"] = [$"At most {MaxMessageLength} characters."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var ticketId = cmd.TicketId!.Value;
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExpireAsync(conn, tx, ticketId, now, ct);
        var ticket = await ResaleTicket.LockAsync(conn, tx, ticketId, now, ct);
        if (ticket is null || (ownerRef is not null && ticket.OwnerRef != ownerRef))
        {
            return InventoryError.NotFound(ErrorCodes.TicketNotFound, "Ticket", ticketId);
        }

        if (ticket.Status != TicketStatuses.Valid)
        {
            return new InventoryError(ErrorCodes.TicketNotValid, $"Ticket '{ticketId}' is {ticket.Status}; only a valid ticket can be transferred.");
        }

        var refusal = !jurisdictionAllows ? "Transfers are not allowed for this reseller's tickets (the jurisdiction's rules)."
            : !ticket.EventTransfersAllowed ? "The organizer turned transfers off for this event."
            : ticket.EventCancelled ? "The event was cancelled."
            : ticket.StartsAt <= now ? "The event has started; its tickets can no longer be transferred."
            : null;
        if (refusal is not null)
        {
            return new InventoryError(ErrorCodes.TransferNotAllowed, refusal);
        }

        if (ticket.Locked is { } locked)
        {
            return new InventoryError(ErrorCodes.TicketLocked, $"Ticket '{ticketId}' is {locked}; withdraw that first.");
        }

        var token = NewToken();
        var id = Guid.CreateVersion7(now);
        var view = new TransferView(id, ticketId, ticket.EventId, ticket.OwnerRef, cmd.ToEmail!.Trim(), "pending", now + ClaimWindow, now);
        // the token goes to the e-mail only: the dispatcher hands "private" to the mail job and strips it from the
        // webhook message and the outbox row
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["transfer_id"] = id, ["ticket_id"] = ticketId, ["event_id"] = ticket.EventId, ["from_ref"] = ticket.OwnerRef,
            ["customer_email"] = view.ToEmail, ["message"] = cmd.Message?.Trim(), ["expires_at"] = view.ExpiresAt,
            ["private"] = new Dictionary<string, object?> { ["claim_token"] = token },
        });
        await using (var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                EventCatalog.Command("""
                    INSERT INTO ticket_transfers (id, ticket_id, event_id, from_ref, to_email, message, token_hash, status, expires_at, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)
                    """, id, ticketId, ticket.EventId, ticket.OwnerRef, view.ToEmail, cmd.Message?.Trim(), Hash(token), view.ExpiresAt, now),
                EventCatalog.Command("""
                    INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ('ticket.transfer_offered', $1, $2, $3::jsonb, $4)
                    """, id, ticket.EventId, payload, now),
            },
        })
        {
            await batch.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return new StartedTransfer(view, token);
    }

    /// <summary>
    /// Claims a transfer for <paramref name="claimerRef"/> with its token: the ticket is reissued to them, once. An unknown
    /// or used token is not found; one past its expiry is <see cref="ErrorCodes.TransferExpired"/>.
    /// </summary>
    public async Task<Result<OwnedTicket>> ClaimAsync(string? token, string? claimerRef, bool jurisdictionAllows, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (token is not { Length: > 0 and <= 100 }) { errors["token"] = ["Required: the claim token of the e-mail."]; }
        if (claimerRef is not { Length: > 0 and <= 200 } || string.IsNullOrWhiteSpace(claimerRef)) { errors["customer_ref"] = ["Required, at most 200 characters."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        Guid newTicketId;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            Guid id, ticketId;
            string status, toEmail;
            DateTimeOffset expiresAt;
            bool eventAllows;
            await using (var read = new NpgsqlCommand("""
                SELECT t.id, t.ticket_id, t.status, t.expires_at, t.to_email, e.transfers_allowed
                FROM ticket_transfers t JOIN events e ON e.id = t.event_id WHERE t.token_hash = $1 FOR UPDATE OF t
                """, conn, tx))
            {
                read.Parameters.Add(new() { Value = Hash(token!) });
                await using var reader = await read.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return new InventoryError(ErrorCodes.TransferNotFound, "No open transfer has this claim token.");
                }

                (id, ticketId, status, expiresAt, toEmail, eventAllows) = (reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetBoolean(5));
            }

            if (status != "pending")
            {
                return new InventoryError(ErrorCodes.TransferNotFound, $"Transfer '{id}' is {status}: a claim token works once.");
            }

            if (expiresAt <= now)
            {
                return new InventoryError(ErrorCodes.TransferExpired, $"Transfer '{id}' expired at {expiresAt:O}; ask the sender to send it again.");
            }

            if (!jurisdictionAllows || !eventAllows)
            {
                return new InventoryError(ErrorCodes.TransferNotAllowed, "Transfers of this ticket are no longer allowed.");
            }

            var reissued = await TicketOwnership.ReissueAsync(conn, tx, ticketId, TicketStatuses.Transferred, TicketStatuses.OriginTransfer,
                claimerRef!.Trim(), toEmail, null, null, now, ct);
            if (reissued is null)
            {
                return new InventoryError(ErrorCodes.TicketNotValid, $"The ticket of transfer '{id}' is no longer valid.");
            }

            newTicketId = reissued.NewTicketId;
            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("""
                        UPDATE ticket_transfers SET status = 'accepted', closed_at = $2, accepted_by = $3, new_ticket_id = $4 WHERE id = $1
                        """, id, now, claimerRef.Trim(), newTicketId),
                    EventCatalog.Command("""
                        INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
                        VALUES ('ticket.transferred', $1, $2, jsonb_build_object('transfer_id', $1::uuid, 'old_ticket_id', $3::uuid, 'new_ticket_id', $4::uuid), $5)
                        """, id, reissued.EventId, ticketId, newTicketId, now),
                },
            };
            await batch.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        return await new TicketQueries(db).GetAsync(newTicketId, null, ct);
    }

    /// <summary>Cancels a pending transfer of <paramref name="senderRef"/> (null: any sender); its token stops working.</summary>
    public async Task<Result<TransferView>> CancelAsync(Guid transferId, string? senderRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE ticket_transfers SET status = 'cancelled', closed_at = $3 WHERE id = $1 AND ($2::text IS NULL OR from_ref = $2) AND status = 'pending'
            """);
        cmd.Parameters.Add(new() { Value = transferId });
        cmd.Parameters.Add(new() { Value = (object?)senderRef ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await cmd.ExecuteNonQueryAsync(ct);
        return await GetAsync(transferId, senderRef, ct);
    }

    /// <summary>A transfer of <paramref name="senderRef"/> (null: any sender); a pending one past its expiry reads as expired.</summary>
    public async Task<Result<TransferView>> GetAsync(Guid transferId, string? senderRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, ticket_id, event_id, from_ref, to_email, status, expires_at, created_at, accepted_by, new_ticket_id FROM ticket_transfers WHERE id = $1
            """);
        cmd.Parameters.Add(new() { Value = transferId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || (senderRef is not null && r.GetString(3) != senderRef))
        {
            return InventoryError.NotFound(ErrorCodes.TransferNotFound, "Transfer", transferId);
        }

        var status = r.GetString(5);
        var expiresAt = r.GetFieldValue<DateTimeOffset>(6);
        return new TransferView(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4),
            status == "pending" && expiresAt <= time.GetUtcNow() ? "expired" : status, expiresAt, r.GetFieldValue<DateTimeOffset>(7),
            r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetGuid(9));
    }

    /// <summary>The SHA-256 of a claim token: what the database keeps.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task ExpireAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid ticketId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "UPDATE ticket_transfers SET status = 'expired', closed_at = $2 WHERE ticket_id = $1 AND status = 'pending' AND expires_at <= $2", conn, tx);
        cmd.Parameters.Add(new() { Value = ticketId });
        cmd.Parameters.Add(new() { Value = now });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
