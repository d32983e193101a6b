using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// Lotteries of one reseller database (seed 000 §3): an organizer opens a registration window; buyers register once; after
/// the window closes a seeded draw ranks every entry by SHA-256(seed ‖ customer reference), admits the first
/// <c>winners</c> into a purchase window (an admitted queue entry of the event's waiting room, in <c>lottery</c> mode: the
/// hold path checks and spends the admission as for a queue) and tells every entrant (outbox <c>lottery.result</c>, an
/// e-mail where the entry has an address). The seed is drawn at creation and only its SHA-256 is published until the
/// draw, so the organizer cannot pick a seed after seeing the entries, and anyone can recompute the result afterwards.
/// </summary>
public sealed class LotteryService(NpgsqlDataSource db, WaitingRoomService rooms, WaitingRoomCache cache, TimeProvider time)
{
    /// <summary>Most winners one lottery admits.</summary>
    public const int MaxWinners = 1_000_000;

    private const string LotteryColumns = """
        l.registration_opens_at, l.registration_closes_at, l.winners, l.window_seconds, l.seed, l.seed_sha256, l.drawn_at, l.created_by, l.created_at,
        (SELECT count(*) FROM lottery_entries e WHERE e.event_id = l.event_id),
        (SELECT count(*) FROM lottery_entries e WHERE e.event_id = l.event_id AND e.won)
        """;

    /// <summary>
    /// Opens (or, until it is drawn, changes) the lottery of <paramref name="eventId"/>, and puts the event's waiting room
    /// in lottery mode: from now on a hold needs a winner's admission.
    /// </summary>
    public async Task<Result<LotteryView>> ConfigureAsync(Guid eventId, LotterySettings settings, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, string[]>();
        if (settings.RegistrationOpensAt is null) { errors["registration_opens_at"] = ["Required."]; }
        if (settings.RegistrationClosesAt is null) { errors["registration_closes_at"] = ["Required."]; }
        else if (settings.RegistrationOpensAt is { } opens && settings.RegistrationClosesAt <= opens) { errors["registration_closes_at"] = ["After registration_opens_at."]; }
        if (settings.Winners is not (>= 1 and <= MaxWinners)) { errors["winners"] = [$"Between 1 and {MaxWinners}."]; }
        if (settings.WindowSeconds is not (>= 60 and <= 604_800)) { errors["window_seconds"] = ["Between 60 and 604800 (7 days)."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        var seed = RandomNumberGenerator.GetBytes(32);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO lotteries (event_id, registration_opens_at, registration_closes_at, winners, window_seconds, seed, seed_sha256, created_by, created_at)
            SELECT id, $2, $3, $4, $5, $6, sha256($6), $7, $8 FROM events WHERE id = $1 AND status = 0
            ON CONFLICT (event_id) DO UPDATE SET registration_opens_at = EXCLUDED.registration_opens_at,
                registration_closes_at = EXCLUDED.registration_closes_at, winners = EXCLUDED.winners, window_seconds = EXCLUDED.window_seconds
                WHERE lotteries.drawn_at IS NULL
            """, conn, tx))
        {
            foreach (var value in new object[] { eventId, settings.RegistrationOpensAt!.Value, settings.RegistrationClosesAt!.Value, settings.Winners!.Value,
                         settings.WindowSeconds!.Value, seed, by, now })
            {
                upsert.Parameters.Add(new() { Value = value });
            }

            if (await upsert.ExecuteNonQueryAsync(ct) == 0)
            {
                await tx.RollbackAsync(ct);
                return await GetAsync(eventId, ct) is { DrawnAt: not null } drawn
                    ? new InventoryError(ErrorCodes.LotteryDrawn, $"The lottery of event '{eventId}' was drawn at {drawn.DrawnAt:O}; it can no longer change.")
                    : InventoryError.NotFound(ErrorCodes.EventNotFound, "Event on sale", eventId);
            }
        }

        await using (var room = new NpgsqlCommand("""
            INSERT INTO waiting_rooms (event_id, on_sale_at, admit_per_minute, window_seconds, token_ttl_seconds, enabled, credit_at, created_by, created_at, updated_at, mode)
            VALUES ($1, $2, 1, $3, 120, true, $2, $4, $5, $5, 'lottery')
            ON CONFLICT (event_id) DO UPDATE SET mode = 'lottery', enabled = true, on_sale_at = EXCLUDED.on_sale_at,
                window_seconds = EXCLUDED.window_seconds, updated_at = EXCLUDED.updated_at
            """, conn, tx))
        {
            room.Parameters.Add(new() { Value = eventId });
            room.Parameters.Add(new() { Value = settings.RegistrationClosesAt!.Value });
            room.Parameters.Add(new() { Value = Math.Clamp(settings.WindowSeconds!.Value, 60, 7200) });
            room.Parameters.Add(new() { Value = by });
            room.Parameters.Add(new() { Value = now });
            await room.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        cache.Invalidate(db.ConnectionString, eventId);
        return (await GetAsync(eventId, ct))!;
    }

    /// <summary>The lottery of <paramref name="eventId"/> (its seed only once drawn), or null.</summary>
    public async Task<LotteryView?> GetAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {LotteryColumns} FROM lotteries l WHERE l.event_id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        DateTimeOffset? drawnAt = r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6);
        var now = time.GetUtcNow();
        var (opens, closes) = (r.GetFieldValue<DateTimeOffset>(0), r.GetFieldValue<DateTimeOffset>(1));
        var status = drawnAt is not null ? "drawn" : now < opens ? "scheduled" : now < closes ? "open" : "closed";
        return new LotteryView(eventId, status, opens, closes, r.GetInt32(2), r.GetInt32(3), Convert.ToHexStringLower(r.GetFieldValue<byte[]>(5)),
            drawnAt is null ? null : Convert.ToHexStringLower(r.GetFieldValue<byte[]>(4)), drawnAt, r.GetInt64(9), r.GetInt64(10), r.GetString(7),
            r.GetFieldValue<DateTimeOffset>(8));
    }

    /// <summary>Registers <paramref name="customerRef"/> while registration is open; registering again is the same entry.</summary>
    public async Task<Result<LotteryEntryView>> RegisterAsync(Guid eventId, string customerRef, string? email, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(customerRef) || customerRef.Length > 200) { errors["customer_ref"] = ["Required, at most 200 characters."]; }
        if (email is { Length: > 254 } || (email is { Length: > 0 } && !email.Contains('@', StringComparison.Ordinal))) { errors["customer_email"] = ["An e-mail address, at most 254 characters."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        await using (var cmd = db.CreateCommand("""
            INSERT INTO lottery_entries (event_id, customer_ref, customer_email, registered_at)
            SELECT event_id, $2, $3, $4 FROM lotteries
            WHERE event_id = $1 AND drawn_at IS NULL AND registration_opens_at <= $4 AND registration_closes_at > $4
            ON CONFLICT (event_id, customer_ref) DO UPDATE SET customer_email = coalesce(EXCLUDED.customer_email, lottery_entries.customer_email)
            """))
        {
            cmd.Parameters.Add(new() { Value = eventId });
            cmd.Parameters.Add(new() { Value = customerRef });
            cmd.Parameters.Add(new() { Value = (object?)email ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            cmd.Parameters.Add(new() { Value = now });
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                return await GetAsync(eventId, ct) is { } lottery
                    ? new InventoryError(ErrorCodes.LotteryClosed, lottery.Status == "scheduled"
                        ? $"Registration opens at {lottery.RegistrationOpensAt:O}."
                        : $"Registration closed at {lottery.RegistrationClosesAt:O}.")
                    : InventoryError.NotFound(ErrorCodes.LotteryNotFound, "Lottery of event", eventId);
            }
        }

        return await GetEntryAsync(eventId, customerRef, ct);
    }

    /// <summary>An entrant's entry: registered, or after the draw won (with the admission to hold with) or lost.</summary>
    public async Task<Result<LotteryEntryView>> GetEntryAsync(Guid eventId, string customerRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT e.registered_at, e.rank, e.won, l.drawn_at FROM lottery_entries e JOIN lotteries l ON l.event_id = e.event_id
            WHERE e.event_id = $1 AND e.customer_ref = $2
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = customerRef });
        DateTimeOffset registeredAt;
        int? rank;
        bool? won;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct))
            {
                return await GetAsync(eventId, ct) is null
                    ? InventoryError.NotFound(ErrorCodes.LotteryNotFound, "Lottery of event", eventId)
                    : new InventoryError(ErrorCodes.LotteryEntryNotFound, $"'{customerRef}' is not registered for the lottery of event '{eventId}'.");
            }

            (registeredAt, rank, won) = (r.GetFieldValue<DateTimeOffset>(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.IsDBNull(2) ? null : r.GetBoolean(2));
        }

        if (won != true)
        {
            return new LotteryEntryView(eventId, customerRef, won is null ? "registered" : "lost", registeredAt, rank, null, null, null);
        }

        // a winner's admission is an admitted queue entry: its signed token, re-issued while the window lasts
        var admission = await rooms.GetEntryAsync(eventId, customerRef, ct);
        var entry = admission.Value;
        var status = entry?.Status switch { QueueStatus.Used => "used", QueueStatus.Expired => "expired", _ => "won" };
        return new LotteryEntryView(eventId, customerRef, status, registeredAt, rank, entry?.WindowEndsAt, entry?.AdmissionToken, entry?.AdmissionTokenExpiresAt);
    }

    /// <summary>
    /// Draws the lottery of <paramref name="eventId"/> once its registration closed: ranks every entry, admits the winners
    /// for the purchase window, tells everyone. Drawing again answers the same result.
    /// </summary>
    public async Task<Result<LotteryView>> DrawAsync(Guid eventId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            int winners, window;
            await using (var lockLottery = new NpgsqlCommand(
                "SELECT winners, window_seconds, registration_closes_at, drawn_at IS NOT NULL FROM lotteries WHERE event_id = $1 FOR UPDATE", conn, tx))
            {
                lockLottery.Parameters.Add(new() { Value = eventId });
                await using var r = await lockLottery.ExecuteReaderAsync(ct);
                if (!await r.ReadAsync(ct))
                {
                    return InventoryError.NotFound(ErrorCodes.LotteryNotFound, "Lottery of event", eventId);
                }

                if (r.GetBoolean(3))
                {
                    await r.DisposeAsync();
                    await tx.RollbackAsync(ct);
                    return (await GetAsync(eventId, ct))!;
                }

                if (r.GetFieldValue<DateTimeOffset>(2) > now)
                {
                    return new InventoryError(ErrorCodes.LotteryNotDrawn, $"Registration is open until {r.GetFieldValue<DateTimeOffset>(2):O}; the draw comes after.");
                }

                (winners, window) = (r.GetInt32(0), r.GetInt32(1));
            }

            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    Command("""
                        WITH ranked AS (
                            SELECT e.customer_ref, row_number() OVER (ORDER BY sha256(l.seed || convert_to(e.customer_ref, 'UTF8')), e.customer_ref) AS rank
                            FROM lottery_entries e JOIN lotteries l ON l.event_id = e.event_id WHERE e.event_id = $1)
                        UPDATE lottery_entries e SET rank = r.rank, won = r.rank <= $2
                        FROM ranked r WHERE e.event_id = $1 AND e.customer_ref = r.customer_ref
                        """, eventId, winners),
                    Command("""
                        INSERT INTO queue_entries (event_id, customer_ref, joined_at, admitted_at, token_id, token_expires_at)
                        SELECT event_id, customer_ref, registered_at, $2, gen_random_uuid(), $2 + make_interval(secs => $3)
                        FROM lottery_entries WHERE event_id = $1 AND won ORDER BY rank
                        ON CONFLICT (event_id, customer_ref) DO UPDATE SET admitted_at = EXCLUDED.admitted_at, token_id = EXCLUDED.token_id,
                            token_expires_at = EXCLUDED.token_expires_at, used_at = NULL, hold_id = NULL
                        """, eventId, now, (double)window),
                    Command("""
                        UPDATE lotteries SET drawn_at = $2, entries_at_draw = (SELECT count(*) FROM lottery_entries WHERE event_id = $1) WHERE event_id = $1
                        """, eventId, now),
                    Command("""
                        INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
                        SELECT 'lottery.result', $1, $1, jsonb_build_object('event_id', $1::uuid, 'customer_ref', customer_ref, 'customer_email', customer_email,
                                   'won', won, 'rank', rank, 'window_ends_at', CASE WHEN won THEN $2 + make_interval(secs => $3) END), $2
                        FROM lottery_entries WHERE event_id = $1 ORDER BY rank
                        """, eventId, now, (double)window),
                    Command("""
                        INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
                        SELECT 'lottery.drawn', $1, $1, jsonb_build_object('event_id', $1::uuid, 'entries', entries_at_draw,
                                   'winners', (SELECT count(*) FROM lottery_entries WHERE event_id = $1 AND won),
                                   'seed', encode(seed, 'hex'), 'seed_sha256', encode(seed_sha256, 'hex'), 'drawn_at', drawn_at), $2
                        FROM lotteries WHERE event_id = $1
                        """, eventId, now),
                },
            };
            await batch.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        cache.Invalidate(db.ConnectionString, eventId);
        return (await GetAsync(eventId, ct))!;
    }

    /// <summary>Draws every lottery whose registration has closed (the worker's job); returns how many were drawn.</summary>
    public async Task<int> DrawDueAsync(CancellationToken ct)
    {
        var due = new List<Guid>();
        await using (var cmd = db.CreateCommand("SELECT event_id FROM lotteries WHERE drawn_at IS NULL AND registration_closes_at <= $1"))
        {
            cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                due.Add(r.GetGuid(0));
            }
        }

        foreach (var eventId in due)
        {
            await DrawAsync(eventId, ct);
        }

        return due.Count;
    }

    /// <summary>
    /// Every entry of a drawn lottery in rank order, with the hash that ranked it, so the result can be checked against
    /// the published seed: rank by SHA-256(seed ‖ UTF-8 customer reference), ties (none in practice) by the reference.
    /// Before the draw there is nothing to show (empty: the hashes would give the seed's ranking away before the draw).
    /// </summary>
    public async Task<Result<IReadOnlyList<LotteryResultRow>>> ResultsAsync(Guid eventId, int limit, CancellationToken ct)
    {
        if (await GetAsync(eventId, ct) is not { } lottery)
        {
            return InventoryError.NotFound(ErrorCodes.LotteryNotFound, "Lottery of event", eventId);
        }

        if (lottery.DrawnAt is null)
        {
            return Array.Empty<LotteryResultRow>();
        }

        await using var cmd = db.CreateCommand("""
            SELECT e.rank, e.customer_ref, encode(sha256(l.seed || convert_to(e.customer_ref, 'UTF8')), 'hex'), e.won
            FROM lottery_entries e JOIN lotteries l ON l.event_id = e.event_id WHERE e.event_id = $1 ORDER BY e.rank LIMIT $2
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = limit });
        var rows = new List<LotteryResultRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(new LotteryResultRow(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetBoolean(3)));
        }

        return rows;
    }

    /// <summary>Recomputes a drawn lottery's ranking from its published seed alone, as an auditor would.</summary>
    public static IReadOnlyList<string> Rank(byte[] seed, IEnumerable<string> customerRefs)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return [.. customerRefs.Select(c => (Ref: c, Hash: SHA256.HashData([.. seed, .. System.Text.Encoding.UTF8.GetBytes(c)])))
            .OrderBy(x => x.Hash, ByteOrder.Instance).ThenBy(x => x.Ref, StringComparer.Ordinal).Select(x => x.Ref)];
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    // bytea order in Postgres: unsigned bytes, then length
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}

/// <summary>
/// Opens a lottery: registrations from <paramref name="RegistrationOpensAt"/> until <paramref name="RegistrationClosesAt"/>,
/// then <paramref name="Winners"/> are drawn and may hold within <paramref name="WindowSeconds"/> of the draw.
/// </summary>
public sealed record LotterySettings(DateTimeOffset? RegistrationOpensAt, DateTimeOffset? RegistrationClosesAt, int? Winners, int? WindowSeconds);

/// <summary>
/// A lottery (<paramref name="Status"/>: <c>scheduled</c>, <c>open</c>, <c>closed</c>, <c>drawn</c>). <paramref name="SeedSha256"/>
/// is published from the start, <paramref name="Seed"/> once drawn.
/// </summary>
public sealed record LotteryView(
    Guid EventId, string Status, DateTimeOffset RegistrationOpensAt, DateTimeOffset RegistrationClosesAt, int Winners, int WindowSeconds,
    string SeedSha256, string? Seed, DateTimeOffset? DrawnAt, long Entries, long Won, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// An entrant's lottery entry (<paramref name="Status"/>: <c>registered</c>, <c>won</c>, <c>lost</c>, <c>used</c>, <c>expired</c>);
/// a winner holds with <paramref name="AdmissionToken"/> (header <c>Admission-Token</c>) until <paramref name="WindowEndsAt"/>.
/// </summary>
public sealed record LotteryEntryView(
    Guid EventId, string CustomerRef, string Status, DateTimeOffset RegisteredAt, int? Rank, DateTimeOffset? WindowEndsAt, string? AdmissionToken,
    DateTimeOffset? AdmissionTokenExpiresAt);

/// <summary>One ranked entry of a drawn lottery, with the hash that ranked it.</summary>
public sealed record LotteryResultRow(int Rank, string CustomerRef, string Hash, bool Won);
