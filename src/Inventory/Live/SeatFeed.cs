using Npgsql;

namespace TicketAspire.Inventory.Live;

/// <summary>
/// Reads an event's outbox as a log of seat changes (the source of truth behind live updates; Redis only says "look
/// again"). Only rows of transactions older than every running one are returned, in (transaction, id) order: a row
/// that commits later can only come after every position already handed out (see migration 0010).
/// </summary>
public sealed class SeatFeed(NpgsqlDataSource db)
{
    /// <summary>Most rows one read returns.</summary>
    public const int PageSize = 500;

    private const string Settled = "o.xid < pg_snapshot_xmin(pg_current_snapshot())";

    private const string ReadSql = $"""
        SELECT o.id, o.xid::text::bigint, o.topic, o.payload::text,
               CASE o.topic
                   WHEN 'order.refunded' THEN (SELECT array_agg(t.seat_id) FROM tickets t WHERE t.order_id = (o.payload->>'order_id')::uuid)
                   WHEN 'payment.chargeback' THEN (SELECT array_agg(t.seat_id) FROM tickets t WHERE t.order_id = (o.payload->>'order_id')::uuid)
                   WHEN 'payment.failed' THEN (SELECT array_agg(i.seat_id) FROM hold_items i WHERE i.hold_id = (o.payload->>'hold_id')::uuid)
               END
        FROM outbox o
        WHERE o.event_id = $1 AND (o.xid, o.id) > ($2::text::xid8, $3) AND {Settled}
        ORDER BY o.xid, o.id
        LIMIT $4
        """;

    /// <summary>The event's status (0 on sale, 1 cancelled), or null when it does not exist.</summary>
    public async Task<short?> EventStatusAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT status FROM events WHERE id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        return await cmd.ExecuteScalarAsync(ct) is short status ? status : null;
    }

    /// <summary>The position after the event's last settled row (<see cref="StreamCursor.Start"/> when it has none).</summary>
    public async Task<StreamCursor> HeadAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT o.xid::text::bigint, o.id FROM outbox o WHERE o.event_id = $1 AND {Settled} ORDER BY o.xid DESC, o.id DESC LIMIT 1
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new StreamCursor(reader.GetInt64(0), reader.GetInt64(1)) : StreamCursor.Start;
    }

    /// <summary>The position of the event's row <paramref name="id"/> (a client's <c>Last-Event-ID</c>), or null if unknown.</summary>
    public async Task<StreamCursor?> CursorOfAsync(Guid eventId, long id, CancellationToken ct)
    {
        if (id == 0)
        {
            return StreamCursor.Start;
        }

        await using var cmd = db.CreateCommand("SELECT xid::text::bigint FROM outbox WHERE id = $1 AND event_id = $2");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = eventId });
        return await cmd.ExecuteScalarAsync(ct) is long xid ? new StreamCursor(xid, id) : null;
    }

    /// <summary>Up to <paramref name="limit"/> settled rows of the event after <paramref name="after"/>, in log order.</summary>
    public async Task<IReadOnlyList<OutboxRow>> ReadAsync(Guid eventId, StreamCursor after, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(ReadSql);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = after.Xid.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        cmd.Parameters.Add(new() { Value = after.Id });
        cmd.Parameters.Add(new() { Value = limit });
        var rows = new List<OutboxRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new OutboxRow(new StreamCursor(reader.GetInt64(1), reader.GetInt64(0)), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<Guid[]>(4)));
        }

        return rows;
    }
}
