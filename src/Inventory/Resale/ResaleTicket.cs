using Npgsql;

namespace TicketAspire.Inventory.Resale;

/// <summary>
/// A ticket locked (<c>FOR UPDATE</c>) by a transaction about to list or transfer it, with its seat's face value and its
/// event's state; <see cref="Locked"/> says why it cannot move now (listed, being transferred), or null.
/// </summary>
internal sealed record ResaleTicket(
    Guid Id, string Status, string OwnerRef, string? OwnerEmail, Guid EventId, string Currency, long FaceMinor, DateTimeOffset StartsAt,
    bool EventCancelled, bool EventResaleAllowed, bool EventTransfersAllowed, string? Locked)
{
    public static async Task<ResaleTicket?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid ticketId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT t.status, t.owner_ref, t.owner_email, t.event_id, t.currency, s.price_minor, e.starts_at, e.status = 1, e.resale_allowed, e.transfers_allowed,
                   CASE WHEN EXISTS (SELECT 1 FROM resale_listings l WHERE l.ticket_id = t.id AND l.status = 'listed') THEN 'listed for resale'
                        {TransferLock}
                   END
            FROM tickets t JOIN seats s ON s.id = t.seat_id JOIN events e ON e.id = t.event_id
            WHERE t.id = $1 FOR UPDATE OF t
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = ticketId });
        cmd.Parameters.Add(new() { Value = now });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new ResaleTicket(ticketId, r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetGuid(3), r.GetString(4),
            r.GetInt64(5), r.GetFieldValue<DateTimeOffset>(6), r.GetBoolean(7), r.GetBoolean(8), r.GetBoolean(9), r.IsDBNull(10) ? null : r.GetString(10));
    }

    // a pending transfer past its expiry no longer locks the ticket
    private const string TransferLock = """
        WHEN EXISTS (SELECT 1 FROM ticket_transfers x WHERE x.ticket_id = t.id AND x.status = 'pending' AND x.expires_at > $2) THEN 'being transferred'
        """;
}
