using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tickets;

/// <summary>
/// Moves a ticket to a new owner by reissue, inside the caller's transaction: the old ticket dies with a status that says
/// why (<see cref="TicketStatuses.Resold"/> or <see cref="TicketStatuses.Transferred"/>, so a scan of its code can tell
/// it from a forged one) and a new ticket with a new code is issued for the same seat to the new owner. Only a valid
/// ticket can be reissued, once: the conditional update finds it valid or changes nothing, and the unique index
/// <c>tickets_one_valid_per_seat</c> refuses a second valid ticket for the seat whatever happens above it.
/// </summary>
public static class TicketOwnership
{
    /// <summary>
    /// Reissues ticket <paramref name="ticketId"/> to <paramref name="newOwnerRef"/> (with <paramref name="newOwnerEmail"/>);
    /// the new ticket belongs to order <paramref name="newOrderId"/> (a resale's order) or, when null, to the old ticket's
    /// order (a transfer), at <paramref name="priceMinor"/> or the old ticket's price. Null when the ticket is not valid
    /// (any more): nothing was changed.
    /// </summary>
    public static async Task<ReissuedTicket?> ReissueAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid ticketId, string deadStatus, string origin, string newOwnerRef, string? newOwnerEmail,
        Guid? newOrderId, long? priceMinor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentException.ThrowIfNullOrWhiteSpace(newOwnerRef);
        if (deadStatus is not (TicketStatuses.Resold or TicketStatuses.Transferred))
        {
            throw new ArgumentOutOfRangeException(nameof(deadStatus), deadStatus, "A reissued ticket dies as resold or transferred.");
        }

        if (origin is not (TicketStatuses.OriginResale or TicketStatuses.OriginTransfer))
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, "A reissued ticket comes from a resale or a transfer.");
        }

        var newId = Guid.CreateVersion7(now);
        var code = TicketCode.New();
        await using (var kill = new NpgsqlCommand("""
            UPDATE tickets SET status = $2, replaced_by = $3, replaced_at = $4 WHERE id = $1 AND status = 'valid'
            """, conn, tx))
        {
            kill.Parameters.Add(new() { Value = ticketId });
            kill.Parameters.Add(new() { Value = deadStatus });
            kill.Parameters.Add(new() { Value = newId });
            kill.Parameters.Add(new() { Value = now });
            if (await kill.ExecuteNonQueryAsync(ct) != 1)
            {
                return null;
            }
        }

        await using var issue = new NpgsqlCommand("""
            INSERT INTO tickets (id, order_id, event_id, seat_id, class_id, price_minor, currency, code, status, issued_at,
                                 owner_ref, owner_email, origin, previous_ticket_id)
            SELECT $2, coalesce($3, order_id), event_id, seat_id, class_id, coalesce($4, price_minor), currency, $5, 'valid', $6,
                   $7, $8, $9, id
            FROM tickets WHERE id = $1 AND replaced_by = $2
            RETURNING order_id, seat_id, event_id
            """, conn, tx);
        issue.Parameters.Add(new() { Value = ticketId });
        issue.Parameters.Add(new() { Value = newId });
        issue.Parameters.Add(new() { Value = (object?)newOrderId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        issue.Parameters.Add(new() { Value = (object?)priceMinor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        issue.Parameters.Add(new() { Value = code });
        issue.Parameters.Add(new() { Value = now });
        issue.Parameters.Add(new() { Value = newOwnerRef });
        issue.Parameters.Add(new() { Value = (object?)newOwnerEmail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        issue.Parameters.Add(new() { Value = origin });
        await using var reader = await issue.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException($"Ticket '{ticketId}' was voided but no new ticket could be issued for it.");
        }

        return new ReissuedTicket(ticketId, newId, code, reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2));
    }
}

/// <summary>A ticket reissued to a new owner: the dead ticket, the new one and its code, its order, seat and event.</summary>
public sealed record ReissuedTicket(Guid OldTicketId, Guid NewTicketId, string NewCode, Guid OrderId, Guid SeatId, Guid EventId);
