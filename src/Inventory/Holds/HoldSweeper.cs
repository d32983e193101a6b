using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// Marks expired holds as expired, frees their seats and records the release in the outbox. Expired seats are already
/// claimable before this runs (the claim treats an expired hold as available); the sweep keeps the data tidy and tells
/// listeners; an unpaid group quote whose hold lapsed is marked released (<c>group_quote.released</c>). Holds locked by a concurrent confirm or cancel are skipped and picked up next time.
/// </summary>
public sealed class HoldSweeper(NpgsqlDataSource db, TimeProvider time)
{
    private static readonly string Sql = $"""
        WITH expired AS (
            SELECT id FROM holds WHERE status = 0 AND expires_at <= $1
            ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED),
        closed AS (
            UPDATE holds h SET status = 3, closed_at = $1 FROM expired e WHERE h.id = e.id
            RETURNING h.id, h.event_id),
        released AS (
            UPDATE seats s SET status = 0, hold_id = NULL, hold_expires_at = NULL, version = s.version + 1
            FROM closed c WHERE s.hold_id = c.id AND s.status = 1
            RETURNING s.id, c.id AS hold_id),
        recorded AS (
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            SELECT 'hold.expired', c.id, c.event_id,
                   jsonb_build_object('hold_id', c.id, 'released_seat_ids',
                       coalesce((SELECT jsonb_agg(r.id) FROM released r WHERE r.hold_id = c.id), '[]'::jsonb)), $1
            FROM closed c),
        lapsed_quotes AS (
            UPDATE group_quotes q SET status = 'released', closed_at = $1 FROM closed c WHERE q.hold_id = c.id AND q.status = 'open'
            RETURNING q.*),
        quotes_recorded AS (
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            SELECT 'group_quote.released', q.id, q.event_id, {Groups.GroupQuoteService.Payload}, $1 FROM lapsed_quotes q)
        SELECT c.event_id, count(*) FROM closed c GROUP BY c.event_id
        """;

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> idempotency keys past their retention (the API already ignores and
    /// takes over expired keys; this only keeps the table small). Returns how many.
    /// </summary>
    public async Task<int> PurgeIdempotencyKeysAsync(int batchSize, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            DELETE FROM idempotency_keys WHERE (actor, key) IN (
                SELECT actor, key FROM idempotency_keys WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Sweeps up to <paramref name="batchSize"/> expired holds; returns the affected events and hold counts.</summary>
    public async Task<IReadOnlyDictionary<Guid, int>> SweepAsync(int batchSize, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        var result = new Dictionary<Guid, int>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetGuid(0)] = (int)reader.GetInt64(1);
        }

        InventoryMetrics.HoldsExpired.Add(result.Values.Sum());
        return result;
    }
}
