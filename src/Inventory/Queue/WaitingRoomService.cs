using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// Waiting rooms of one reseller database: configure an event's room, join its queue (once per customer), read a place in
/// line with its estimated wait, and admit the next customers at the room's rate (the worker's job). Positions are
/// allocated when a customer joins, so the line is first come, first served; joiners before the on-sale time wait in
/// join order too. A room in <c>lottery</c> mode (<see cref="LotteryService"/>) has no line to join and nobody to admit
/// at a rate: its draw admits the winners.
/// </summary>
public sealed class WaitingRoomService(NpgsqlDataSource db, AdmissionTokens tokens, string reseller, WaitingRoomCache cache, TimeProvider time)
{
    /// <summary>The most admissions a room catches up on after the worker was away: one minute of its rate.</summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromMinutes(1);

    /// <summary>People ahead are counted exactly up to this many; beyond, the count is an estimate.</summary>
    public const int ExactAhead = 2000;

    private const string EntryColumns = "q.position, q.customer_ref, q.joined_at, q.admitted_at, q.token_id, q.token_expires_at, q.used_at";

    /// <summary>Enables (or changes) the waiting room of <paramref name="eventId"/>.</summary>
    public async Task<Result<WaitingRoomView>> ConfigureAsync(Guid eventId, WaitingRoomSettings settings, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, string[]>();
        if (settings.OnSaleAt is null) { errors["on_sale_at"] = ["Required."]; }
        if (settings.AdmitPerMinute is not (>= 1 and <= 100_000)) { errors["admit_per_minute"] = ["Between 1 and 100000."]; }
        if (settings.WindowSeconds is not (>= 30 and <= 7200)) { errors["window_seconds"] = ["Between 30 and 7200."]; }
        if (settings.TokenTtlSeconds is not (null or (>= 10 and <= 3600))) { errors["token_ttl_seconds"] = ["Between 10 and 3600."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        await using var cmd = db.CreateCommand("""
            INSERT INTO waiting_rooms (event_id, on_sale_at, admit_per_minute, window_seconds, token_ttl_seconds, enabled, credit_at, created_by, created_at, updated_at)
            SELECT id, $2, $3, $4, $5, true, $2, $6, $7, $7 FROM events WHERE id = $1
            ON CONFLICT (event_id) DO UPDATE SET mode = 'queue', on_sale_at = EXCLUDED.on_sale_at, admit_per_minute = EXCLUDED.admit_per_minute,
                window_seconds = EXCLUDED.window_seconds, token_ttl_seconds = EXCLUDED.token_ttl_seconds, enabled = true,
                credit_at = greatest(waiting_rooms.credit_at, EXCLUDED.on_sale_at), updated_at = EXCLUDED.updated_at
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = settings.OnSaleAt!.Value });
        cmd.Parameters.Add(new() { Value = settings.AdmitPerMinute!.Value });
        cmd.Parameters.Add(new() { Value = settings.WindowSeconds!.Value });
        cmd.Parameters.Add(new() { Value = settings.TokenTtlSeconds ?? Math.Min(120, settings.WindowSeconds!.Value) });
        cmd.Parameters.Add(new() { Value = by });
        cmd.Parameters.Add(new() { Value = now });
        if (await cmd.ExecuteNonQueryAsync(ct) == 0)
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        cache.Invalidate(db.ConnectionString, eventId);
        return (await GetAsync(eventId, ct))!;
    }

    /// <summary>Turns the waiting room off: holds no longer need admission. The queue is kept (enabling again resumes it).</summary>
    public async Task<Result<WaitingRoomView>> DisableAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE waiting_rooms SET enabled = false, updated_at = $2 WHERE event_id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        var changed = await cmd.ExecuteNonQueryAsync(ct);
        cache.Invalidate(db.ConnectionString, eventId);
        return changed == 0 ? await NotFoundAsync(eventId, ct) : (await GetAsync(eventId, ct))!;
    }

    /// <summary>The waiting room of <paramref name="eventId"/> with its counts, or null.</summary>
    public async Task<WaitingRoomView?> GetAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT w.enabled, w.on_sale_at, w.admit_per_minute, w.window_seconds, w.token_ttl_seconds, w.created_by, w.created_at,
                   count(q.*) FILTER (WHERE q.admitted_at IS NULL),
                   count(q.*) FILTER (WHERE q.admitted_at IS NOT NULL),
                   count(q.*) FILTER (WHERE q.used_at IS NOT NULL)
            FROM waiting_rooms w LEFT JOIN queue_entries q ON q.event_id = w.event_id
            WHERE w.event_id = $1 GROUP BY w.event_id
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new WaitingRoomView(eventId, reader.GetBoolean(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.GetInt32(4), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));
    }

    /// <summary>
    /// Puts <paramref name="customerRef"/> in line for <paramref name="eventId"/>. Joining again returns the same place;
    /// only after a purchase window ended unused does joining again go to the back of the line.
    /// </summary>
    public async Task<Result<QueueEntryView>> JoinAsync(Guid eventId, string customerRef, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(customerRef) || customerRef.Length > 200)
        {
            return InventoryError.Validation(new Dictionary<string, string[]> { ["customer_ref"] = ["Required, at most 200 characters."] });
        }

        var now = time.GetUtcNow();
        await using (var mode = db.CreateCommand("SELECT mode FROM waiting_rooms WHERE event_id = $1 AND enabled"))
        {
            mode.Parameters.Add(new() { Value = eventId });
            if (await mode.ExecuteScalarAsync(ct) is "lottery")
            {
                return new InventoryError(ErrorCodes.QueueIsALottery,
                    $"Event '{eventId}' sells by lottery: register with POST /v1/events/{eventId}/lottery/entries; the draw admits the winners.");
            }
        }

        await using var cmd = db.CreateCommand("""
            INSERT INTO queue_entries (event_id, customer_ref, joined_at)
            SELECT event_id, $2, $3 FROM waiting_rooms WHERE event_id = $1 AND enabled AND mode = 'queue'
            ON CONFLICT (event_id, customer_ref) DO UPDATE
                SET position = DEFAULT, joined_at = EXCLUDED.joined_at, admitted_at = NULL, token_id = NULL, token_expires_at = NULL
                WHERE queue_entries.used_at IS NULL AND queue_entries.token_expires_at <= EXCLUDED.joined_at
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = customerRef });
        cmd.Parameters.Add(new() { Value = now });
        await cmd.ExecuteNonQueryAsync(ct);
        return await GetEntryAsync(eventId, customerRef, ct);
    }

    /// <summary>The place of <paramref name="customerRef"/> in line; admitted, with a fresh signed token.</summary>
    public async Task<Result<QueueEntryView>> GetEntryAsync(Guid eventId, string customerRef, CancellationToken ct)
    {
        var found = await GetEntriesAsync(eventId, [customerRef], ct);
        if (found.TryGetValue(customerRef, out var view))
        {
            return view;
        }

        var room = await GetAsync(eventId, ct);
        return room is { Enabled: true }
            ? new InventoryError(ErrorCodes.QueueEntryNotFound, $"'{customerRef}' is not in the queue of event '{eventId}'; join it first.")
            : InventoryError.NotFound(ErrorCodes.WaitingRoomNotFound, "Waiting room of event", eventId);
    }

    /// <summary>
    /// The places of several customers of one event's line in one statement (the live queue streams of a replica share
    /// it); customers not in line are missing from the answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, QueueEntryView>> GetEntriesAsync(Guid eventId, IReadOnlyCollection<string> customerRefs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(customerRefs);
        // people ahead: counted exactly up to ExactAhead (a bounded walk back along the waiting index); further back the
        // rest of the line is estimated from the density of those nearest entries, so a poll costs the same at the
        // 100,000th place as at the 2,000th; admitted entries skip the walk (a one-time filter)
        await using var cmd = db.CreateCommand($"""
            SELECT {EntryColumns}, w.on_sale_at, w.admit_per_minute, w.token_ttl_seconds, w.enabled, ahead.n
            FROM queue_entries q JOIN waiting_rooms w ON w.event_id = q.event_id
            CROSS JOIN LATERAL (
                SELECT CASE WHEN count(*) < {ExactAhead} THEN count(*)
                            ELSE {ExactAhead} + round((min(near.position) - (SELECT min(h.position) FROM queue_entries h
                                                                             WHERE h.event_id = q.event_id AND h.admitted_at IS NULL))
                                                      * {ExactAhead}.0 / greatest(q.position - min(near.position), 1))::bigint
                       END AS n
                FROM (SELECT a.position FROM queue_entries a
                      WHERE q.admitted_at IS NULL AND a.event_id = q.event_id AND a.admitted_at IS NULL AND a.position < q.position
                      ORDER BY a.position DESC LIMIT {ExactAhead}) near) ahead
            WHERE q.event_id = $1 AND q.customer_ref = ANY($2)
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = customerRefs.ToArray() });
        var views = new Dictionary<string, QueueEntryView>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var view = ReadEntry(reader, eventId);
            views[view.CustomerRef] = view;
        }

        return views;
    }

    /// <summary>
    /// What changes every waiting customer's place: the room's last admission (<c>credit_at</c> moves with every admission
    /// round) and its settings. While it stays the same, nobody waiting moved up; null without a room.
    /// </summary>
    public async Task<(DateTimeOffset CreditAt, DateTimeOffset UpdatedAt, bool Enabled)?> StampAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT credit_at, updated_at, enabled FROM waiting_rooms WHERE event_id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2))
            : null;
    }

    private QueueEntryView ReadEntry(NpgsqlDataReader reader, Guid eventId)
    {
        var now = time.GetUtcNow();
        var number = reader.GetInt64(0);
        var customerRef = reader.GetString(1);
        var joinedAt = reader.GetFieldValue<DateTimeOffset>(2);
        DateTimeOffset? admittedAt = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
        Guid? tokenId = reader.IsDBNull(4) ? null : reader.GetGuid(4);
        DateTimeOffset? windowEnds = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
        var used = !reader.IsDBNull(6);
        var onSaleAt = reader.GetFieldValue<DateTimeOffset>(7);
        var rate = reader.GetInt32(8);
        var ttl = reader.GetInt32(9);
        var ahead = reader.GetInt64(11);
        var status = admittedAt is null ? QueueStatus.Waiting : used ? QueueStatus.Used : windowEnds <= now ? QueueStatus.Expired : QueueStatus.Admitted;
        string? token = null;
        DateTimeOffset? tokenExpires = null;
        int? wait = null;
        if (status == QueueStatus.Admitted)
        {
            // whole seconds (the token carries Unix seconds), never past the window
            var exp = DateTimeOffset.FromUnixTimeSeconds(Math.Min(now.AddSeconds(ttl).ToUnixTimeSeconds(), windowEnds!.Value.ToUnixTimeSeconds()));
            tokenExpires = exp;
            token = tokens.Issue(new AdmissionClaims(reseller, eventId, customerRef, tokenId!.Value, exp));
        }
        else if (status == QueueStatus.Waiting)
        {
            var untilOnSale = Math.Max(0, (onSaleAt - now).TotalSeconds);
            wait = (int)Math.Min(int.MaxValue, Math.Ceiling(untilOnSale + (ahead + 1) * 60.0 / rate));
        }

        return new QueueEntryView(eventId, customerRef, number, status, status == QueueStatus.Waiting ? ahead + 1 : null, ahead, wait, onSaleAt,
            joinedAt, admittedAt, windowEnds, token, tokenExpires);
    }

    /// <summary>
    /// Admits the next customers of every enabled room past its on-sale time, as many as its rate allows for the time since
    /// the last admission (at most <see cref="MaxCatchUp"/> of it), in queue order. Safe to run from several workers: a
    /// room is admitted by one at a time. Returns the number admitted.
    /// </summary>
    public async Task<int> AdmitDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rooms = new List<Guid>();
        await using (var list = db.CreateCommand("SELECT event_id FROM waiting_rooms WHERE enabled AND mode = 'queue' AND on_sale_at <= $1"))
        {
            list.Parameters.Add(new() { Value = now });
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rooms.Add(reader.GetGuid(0));
            }
        }

        var admitted = 0;
        foreach (var eventId in rooms)
        {
            admitted += await AdmitAsync(eventId, now, ct);
        }

        return admitted;
    }

    private async Task<int> AdmitAsync(Guid eventId, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var room = new NpgsqlCommand("""
            SELECT on_sale_at, admit_per_minute, window_seconds, credit_at FROM waiting_rooms
            WHERE event_id = $1 AND enabled AND mode = 'queue' AND on_sale_at <= $2 FOR UPDATE SKIP LOCKED
            """, conn, tx);
        room.Parameters.Add(new() { Value = eventId });
        room.Parameters.Add(new() { Value = now });
        long rate;
        int window;
        DateTimeOffset credit;
        await using (var reader = await room.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return 0;   // another worker is admitting this room
            }

            rate = reader.GetInt32(1);
            window = reader.GetInt32(2);
            var onSale = reader.GetFieldValue<DateTimeOffset>(0);
            credit = new[] { reader.GetFieldValue<DateTimeOffset>(3), onSale, now - MaxCatchUp }.Max();
        }

        // admissions due for the time since credit, in whole microseconds (Postgres' resolution) so nothing drifts
        const long MicrosPerMinute = 60_000_000;
        var elapsed = (now - credit).Ticks / 10;
        var due = elapsed * rate / MicrosPerMinute;
        if (due <= 0)
        {
            return 0;
        }

        await using var admit = new NpgsqlCommand("""
            UPDATE queue_entries q SET admitted_at = $2, token_id = gen_random_uuid(), token_expires_at = $2 + make_interval(secs => $3)
            WHERE q.event_id = $1 AND q.position IN (
                SELECT position FROM queue_entries WHERE event_id = $1 AND admitted_at IS NULL ORDER BY position LIMIT $4 FOR UPDATE SKIP LOCKED)
            """, conn, tx);
        admit.Parameters.Add(new() { Value = eventId });
        admit.Parameters.Add(new() { Value = now });
        admit.Parameters.Add(new() { Value = (double)window });
        admit.Parameters.Add(new() { Value = due });
        var count = await admit.ExecuteNonQueryAsync(ct);

        // fewer waiting than due: nobody banks the unused admissions for later
        var nextCredit = count < due ? now : credit.AddTicks(due * MicrosPerMinute / rate * 10);
        await using var spend = new NpgsqlCommand("UPDATE waiting_rooms SET credit_at = $2 WHERE event_id = $1", conn, tx);
        spend.Parameters.Add(new() { Value = eventId });
        spend.Parameters.Add(new() { Value = nextCredit });
        await spend.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }

    private async Task<InventoryError> NotFoundAsync(Guid eventId, CancellationToken ct)
    {
        await using var exists = db.CreateCommand("SELECT 1 FROM events WHERE id = $1");
        exists.Parameters.Add(new() { Value = eventId });
        return await exists.ExecuteScalarAsync(ct) is null
            ? InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId)
            : InventoryError.NotFound(ErrorCodes.WaitingRoomNotFound, "Waiting room of event", eventId);
    }
}
