using Npgsql;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Events;

/// <summary>
/// Marks events whose every seat is sold (or void) as sold out and tells listeners (<c>event.sold_out</c>). It runs after
/// the fact, over committed data, so two buyers taking the last seats at the same moment cannot both miss it; an
/// event whose seats come back (a refund releases them) is sold out again once they sell.
/// </summary>
public sealed class SoldOutDetector(NpgsqlDataSource db, TimeProvider time)
{
    private const string Sql = """
        WITH sold_out AS (
            UPDATE events e SET sold_out_at = $1
            WHERE e.sold_out_at IS NULL AND e.status = 0 AND e.starts_at > $1 - interval '1 day'
              AND EXISTS (SELECT 1 FROM seats s WHERE s.event_id = e.id AND s.status = 2)
              AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.event_id = e.id AND s.status IN (0, 1))
            RETURNING e.id)
        INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
        SELECT 'event.sold_out', id, id, jsonb_build_object('event_id', id, 'sold_out_at', $1), $1 FROM sold_out
        RETURNING event_id
        """;

    /// <summary>Marks the events that sold out since the last run; returns their ids.</summary>
    public async Task<IReadOnlyList<Guid>> DetectAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
