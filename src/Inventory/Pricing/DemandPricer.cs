using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Inventory.Pricing;

/// <summary>
/// One reseller's pricing pass: for every event that opted in and has not started, the demand signals over the window
/// (page views from Redis, held and sold units from Postgres), the demand score and the next multiplier
/// (<see cref="DemandPricing.Next"/>), stored in <c>event_prices</c> for the claims to apply. Where dynamic pricing is
/// off for the reseller, every stored multiplier goes back to face value (claims ignore them anyway: they check the rule).
/// </summary>
public sealed class DemandPricer(NpgsqlDataSource db, InventoryCache cache, TimeProvider time)
{
    /// <summary>
    /// Held and sold units of the opted-in events since @since. Holds and orders have version 7 ids (time-ordered), so
    /// @from_id (the smallest id of @since's millisecond) bounds the primary-key scan; <c>created_at</c> decides.
    /// </summary>
    private const string SignalsSql = """
        WITH ev AS (
            SELECT id, dynamic_price_max_percent AS cap FROM events
            WHERE dynamic_pricing AND status = 0 AND starts_at > @now),
        capacity AS (SELECT event_id, sum(capacity)::bigint AS n FROM ticket_classes WHERE event_id IN (SELECT id FROM ev) GROUP BY event_id),
        held AS (
            SELECT h.event_id, count(*) AS n FROM holds h JOIN hold_items i ON i.hold_id = h.id
            WHERE h.id >= @from_id AND h.created_at > @since AND h.event_id IN (SELECT id FROM ev) GROUP BY h.event_id),
        sold AS (
            SELECT o.event_id, count(*) AS n FROM orders o JOIN tickets t ON t.order_id = o.id
            WHERE o.id >= @from_id AND o.created_at > @since AND o.event_id IN (SELECT id FROM ev) GROUP BY o.event_id)
        SELECT ev.id, ev.cap, coalesce(c.n, 0), coalesce(held.n, 0), coalesce(sold.n, 0), p.multiplier_bp
        FROM ev
        LEFT JOIN capacity c ON c.event_id = ev.id
        LEFT JOIN held ON held.event_id = ev.id
        LEFT JOIN sold ON sold.event_id = ev.id
        LEFT JOIN event_prices p ON p.event_id = ev.id
        """;

    private const string StoreSql = """
        INSERT INTO event_prices (event_id, multiplier_bp, demand_score, views, holds, sales, computed_at)
        SELECT *, @now FROM unnest(@ids::uuid[], @multipliers::int[], @scores::numeric[], @views::bigint[], @holds::bigint[], @sales::bigint[])
        ON CONFLICT (event_id) DO UPDATE SET multiplier_bp = excluded.multiplier_bp, demand_score = excluded.demand_score,
            views = excluded.views, holds = excluded.holds, sales = excluded.sales, computed_at = excluded.computed_at
        """;

    /// <summary>
    /// Prices every opted-in event of the reseller within <paramref name="range"/> (null: dynamic pricing is off for the
    /// reseller, and every multiplier is reset to face value). Returns what it stored.
    /// </summary>
    public async Task<IReadOnlyList<EventPrice>> RunAsync(PriceRange? range, PricingOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        if (range is null)
        {
            await using var reset = db.CreateCommand("UPDATE event_prices SET multiplier_bp = $1, computed_at = $2 WHERE multiplier_bp <> $1");
            reset.Parameters.Add(new() { Value = DemandPricing.FaceValue });
            reset.Parameters.Add(new() { Value = now });
            await reset.ExecuteNonQueryAsync(ct);
            return [];
        }

        var since = now - options.Window;
        var events = new List<(Guid Id, int? Cap, long Capacity, long Holds, long Sales, int Current)>();
        await using (var cmd = db.CreateCommand(SignalsSql))
        {
            cmd.Parameters.Add(new NpgsqlParameter("now", now));
            cmd.Parameters.Add(new NpgsqlParameter("since", since));
            cmd.Parameters.Add(new NpgsqlParameter("from_id", FirstIdOf(since)));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                events.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetInt64(4), reader.IsDBNull(5) ? DemandPricing.FaceValue : reader.GetInt32(5)));
            }
        }

        if (events.Count == 0)
        {
            return [];
        }

        var views = await cache.GetViewsAsync([.. events.Select(e => e.Id)], since, now);
        var prices = events.Select(e =>
        {
            var score = DemandPricing.Score(views[e.Id], e.Holds, e.Sales, e.Capacity, options);
            return new EventPrice(e.Id, DemandPricing.Next(e.Current, score, range, e.Cap, options), score, views[e.Id], e.Holds, e.Sales);
        }).ToList();

        await using (var store = db.CreateCommand(StoreSql))
        {
            store.Parameters.Add(new NpgsqlParameter("now", now));
            store.Parameters.Add(new NpgsqlParameter("ids", prices.Select(p => p.EventId).ToArray()));
            store.Parameters.Add(new NpgsqlParameter("multipliers", prices.Select(p => p.Multiplier).ToArray()));
            store.Parameters.Add(new NpgsqlParameter("scores", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = prices.Select(p => p.Score).ToArray() });
            store.Parameters.Add(new NpgsqlParameter("views", prices.Select(p => p.Views).ToArray()));
            store.Parameters.Add(new NpgsqlParameter("holds", prices.Select(p => p.Holds).ToArray()));
            store.Parameters.Add(new NpgsqlParameter("sales", prices.Select(p => p.Sales).ToArray()));
            await store.ExecuteNonQueryAsync(ct);
        }

        return prices;
    }

    /// <summary>The smallest version 7 id of <paramref name="at"/>'s millisecond (48-bit Unix milliseconds, version, variant).</summary>
    public static Guid FirstIdOf(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = Math.Max(0, at.ToUnixTimeMilliseconds());
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        bytes[6] = 0x70;
        bytes[8] = 0x80;
        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>What a pricing pass stored for an event: its multiplier (basis points of face value), score and signals.</summary>
public sealed record EventPrice(Guid EventId, int Multiplier, decimal Score, long Views, long Holds, long Sales);
