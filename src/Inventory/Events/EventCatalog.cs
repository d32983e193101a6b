using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Pricing;

namespace TicketAspire.Inventory.Events;

/// <summary>
/// Creates, lists and shows events of one reseller database. With <see cref="IPriceRules"/>, an event's view shows the
/// dynamic price a hold would lock now, as the claim computes it.
/// </summary>
public sealed class EventCatalog(NpgsqlDataSource db, InventoryCache cache, TimeProvider time, IPriceRules? pricing = null)
{
    /// <summary>Creates an event, its venue, classes and every seat (or general-admission unit) in one transaction.</summary>
    public async Task<Result<EventDetail>> CreateAsync(CreateEventCommand cmd, string cellCurrency, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var planned = EventValidation.Plan(cmd, cellCurrency);
        if (planned.Error is { } error)
        {
            return error;
        }

        var plan = planned.Value!;
        var now = time.GetUtcNow();
        var venueId = Guid.CreateVersion7();
        var eventId = Guid.CreateVersion7();

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO venues (id, name, city, country, address, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                venueId, cmd.Venue!.Name!.Trim(), cmd.Venue.City!.Trim(), cmd.Venue.Country, cmd.Venue.Address, now));
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO events (id, venue_id, name, type, performer, description, starts_at, seating, currency, created_at, refund_cutoff_hours,
                                    dynamic_pricing, dynamic_price_max_percent, resale_allowed, transfers_allowed)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                """,
                eventId, venueId, cmd.Name!.Trim(), cmd.Type!, cmd.Performer, cmd.Description, cmd.StartsAt!.Value.ToUniversalTime(),
                (short)plan.Seating, cellCurrency, now, cmd.RefundCutoffHours ?? 24, cmd.DynamicPricing?.Enabled ?? false,
                cmd.DynamicPricing?.MaxPercent, cmd.ResaleAllowed ?? true, cmd.TransfersAllowed ?? true));
            foreach (var c in plan.Classes)
            {
                batch.BatchCommands.Add(Command(
                    "INSERT INTO ticket_classes (id, event_id, name, price_minor, currency, capacity) VALUES ($1, $2, $3, $4, $5, $6)",
                    c.Id, eventId, c.Name, c.PriceMinor, cellCurrency, c.Capacity));
            }

            batch.BatchCommands.Add(Command(
                "INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ('event.created', $1, $1, $2::jsonb, $3)",
                eventId, JsonSerializer.Serialize(new { event_id = eventId, name = cmd.Name }), now));
            await batch.ExecuteNonQueryAsync(ct);
        }

        await SeatImport.WriteAsync(conn, eventId, plan.Units, id => id, ct);

        await tx.CommitAsync(ct);
        InventoryMetrics.EventsCreated.Add(1);
        await cache.InvalidateListsAsync();
        return (await GetAsync(eventId, ct)).Value!;
    }

    /// <summary>One page of events matching the query, with cached availability counts.</summary>
    public async Task<EventPage> ListAsync(EventQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = await cache.GetOrAddListAsync(JsonSerializer.Serialize(query), () => QueryPageAsync(query, ct));
        var counts = await GetCountsAsync([.. page.Events.Select(e => e.Id)], ct);
        return page with
        {
            Events = [.. page.Events.Select(e => e with
            {
                TotalTicketCnt = counts.TryGetValue(e.Id, out var c) ? c.Sum(x => x.Available + x.Held + x.Sold) : 0,
                AvailableTicketCnt = counts.TryGetValue(e.Id, out var d) ? d.Sum(x => x.Available) : 0,
            })],
        };
    }

    /// <summary>An event with classes, prices and live availability.</summary>
    public async Task<Result<EventDetail>> GetAsync(Guid eventId, CancellationToken ct)
    {
        // two single-statement commands, not one command of two statements: with auto-prepare on (ResellerDataSources),
        // Npgsql can lose track of a multi-statement command's results under concurrency ("Received backend message
        // BindComplete while expecting ReadyForQueryMessage"), which breaks the pooled connection
        const string eventSql = """
            SELECT e.id, e.name, e.type, e.performer, e.description, e.starts_at, e.seating, e.currency,
                   v.id, v.name, v.city, v.country, v.address, e.status, e.refund_cutoff_hours,
                   e.dynamic_pricing, e.dynamic_price_max_percent, p.multiplier_bp, e.resale_allowed, e.transfers_allowed
            FROM events e JOIN venues v ON v.id = e.venue_id LEFT JOIN event_prices p ON p.event_id = e.id WHERE e.id = $1
            """;
        const string classesSql = "SELECT id, name, price_minor, currency, capacity FROM ticket_classes WHERE event_id = $1 ORDER BY price_minor DESC, name";
        EventSummary summary;
        string status;
        int? cutoff;
        (bool Enabled, int? MaxPercent, int? Stored) dynamic;
        bool resale, transfers;
        await using (var cmd = db.CreateCommand(eventSql))
        {
            cmd.Parameters.Add(new() { Value = eventId });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
            }

            summary = ReadSummary(reader);
            status = reader.GetInt16(13) == 1 ? "cancelled" : "on_sale";
            cutoff = reader.IsDBNull(14) ? null : reader.GetInt32(14);
            dynamic = (reader.GetBoolean(15), reader.IsDBNull(16) ? null : reader.GetInt32(16), reader.IsDBNull(17) ? null : reader.GetInt32(17));
            (resale, transfers) = (reader.GetBoolean(18), reader.GetBoolean(19));
        }

        // as the claim prices it (ClaimSql.Pricing): the worker's multiplier within the rules' range and the event's cap
        var range = dynamic.Enabled && pricing is not null ? await pricing.DynamicPricingAsync(ct) : null;
        var multiplier = range is null ? DemandPricing.FaceValue : DemandPricing.Clamp(dynamic.Stored ?? DemandPricing.FaceValue, range, dynamic.MaxPercent);

        var classes = new List<(Guid Id, string Name, Money Price, int Capacity)>();
        await using (var cmd = db.CreateCommand(classesSql))
        {
            cmd.Parameters.Add(new() { Value = eventId });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                classes.Add((reader.GetGuid(0), reader.GetString(1), new Money(reader.GetInt64(2), reader.GetString(3)), reader.GetInt32(4)));
            }
        }

        var counts = (await GetCountsAsync([eventId], ct)).GetValueOrDefault(eventId) ?? [];
        var views = classes.Select(c =>
        {
            var n = counts.FirstOrDefault(x => x.ClassId == c.Id) ?? new ClassCount(c.Id, 0, 0, 0);
            return new TicketClassView(c.Id, c.Name, c.Price, c.Capacity, n.Available, n.Held, n.Sold,
                dynamic.Enabled ? c.Price with { MinorUnits = DemandPricing.Price(c.Price.MinorUnits, multiplier) } : null);
        }).ToList();
        return new EventDetail(summary.Id, summary.Name, summary.Type, summary.Performer, summary.Description, summary.StartsAt,
            summary.Seating, summary.Currency, summary.Venue, views.Sum(v => v.Capacity), views.Sum(v => v.Available), views, status, cutoff,
            new EventPricing(dynamic.Enabled, dynamic.MaxPercent, range is not null, DemandPricing.Factor(multiplier)), resale, transfers);
    }

    /// <summary>
    /// Sets an event's dynamic pricing (the organizer's opt-in and cap): applies to the next hold, whatever multiplier the
    /// worker last computed (a claim clamps it to the cap again).
    /// </summary>
    public async Task<Result<EventDetail>> SetPricingAsync(Guid eventId, DynamicPricingInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (EventValidation.PricingError(input) is { } error)
        {
            return InventoryError.Validation(new Dictionary<string, string[]> { ["max_percent"] = [error] });
        }

        await using var cmd = db.CreateCommand("UPDATE events SET dynamic_pricing = $2, dynamic_price_max_percent = $3 WHERE id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = input.Enabled ?? false });
        cmd.Parameters.Add(new() { Value = (object?)input.MaxPercent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        if (await cmd.ExecuteNonQueryAsync(ct) == 0)
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        return await GetAsync(eventId, ct);
    }

    /// <summary>
    /// The organizer turns the resale or the transfer of an event's tickets on or off (where the jurisdiction allows them
    /// at all); listings already open stay listed but cannot be bought while resale is off.
    /// </summary>
    public async Task<Result<EventDetail>> SetTicketPolicyAsync(Guid eventId, TicketPolicyCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        await using (var update = db.CreateCommand(
            "UPDATE events SET resale_allowed = coalesce($2, resale_allowed), transfers_allowed = coalesce($3, transfers_allowed) WHERE id = $1"))
        {
            update.Parameters.Add(new() { Value = eventId });
            update.Parameters.Add(new() { Value = (object?)cmd.ResaleAllowed ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
            update.Parameters.Add(new() { Value = (object?)cmd.TransfersAllowed ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
            }
        }

        return await GetAsync(eventId, ct);
    }

    /// <summary>Seats per seat-map page unless asked otherwise, and the most one page may have.</summary>
    public const int SeatMapPageSize = 5_000;

    /// <summary>The first page of the seat map (events of up to <see cref="SeatMapPageSize"/> seats: all of it).</summary>
    public Task<Result<SeatMap>> GetSeatMapAsync(Guid eventId, CancellationToken ct) => GetSeatMapAsync(eventId, null, SeatMapPageSize, ct);

    /// <summary>
    /// One page of the seat map of a reserved-seating event with each seat's live status, read from Postgres: up to
    /// <paramref name="limit"/> seats (1..<see cref="SeatMapPageSize"/>) in seat-map order after the seat of ordinal
    /// <paramref name="afterOrdinal"/>; <see cref="SeatMap.NextCursor"/> continues it. The counts are the whole event's.
    /// </summary>
    public async Task<Result<SeatMap>> GetSeatMapAsync(Guid eventId, int? afterOrdinal, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, SeatMapPageSize);
        await using var check = db.CreateCommand("SELECT seating FROM events WHERE id = $1");
        check.Parameters.Add(new() { Value = eventId });
        if (await check.ExecuteScalarAsync(ct) is not short seating)
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        var now = time.GetUtcNow();
        const string countsSql = """
            SELECT count(*) FILTER (WHERE status = 0 OR (status = 1 AND hold_expires_at <= $2))::int,
                   count(*) FILTER (WHERE status = 1 AND hold_expires_at > $2)::int,
                   count(*) FILTER (WHERE status = 2)::int,
                   count(*) FILTER (WHERE accessibility = 1 AND (status = 0 OR (status = 1 AND hold_expires_at <= $2)))::int,
                   count(*) FILTER (WHERE accessibility = 1)::int,
                   count(*) FILTER (WHERE accessibility = 2 AND (status = 0 OR (status = 1 AND hold_expires_at <= $2)))::int,
                   count(*) FILTER (WHERE accessibility = 2)::int
            FROM seats WHERE event_id = $1 AND section IS NOT NULL
            """;
        int available, held, sold;
        AccessibleAvailability accessible;
        await using (var counts = db.CreateCommand(countsSql))
        {
            counts.Parameters.Add(new() { Value = eventId });
            counts.Parameters.Add(new() { Value = now });
            await using var reader = await counts.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (available, held, sold) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
            accessible = new AccessibleAvailability(reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6));
        }

        const string sql = """
            SELECT s.id, s.section, s.row_label, s.number, s.class_id, c.name, s.price_minor, c.currency,
                   CASE WHEN s.status = 1 AND s.hold_expires_at <= $2 THEN 0 ELSE s.status END, s.ordinal, s.accessibility, s.companion_of
            FROM seats s JOIN ticket_classes c ON c.id = s.class_id
            WHERE s.event_id = $1 AND s.section IS NOT NULL AND s.ordinal > $3 ORDER BY s.ordinal LIMIT $4
            """;
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = now });
        cmd.Parameters.Add(new() { Value = afterOrdinal ?? 0 });
        cmd.Parameters.Add(new() { Value = limit + 1 });
        var seats = new List<SeatView>();
        var last = 0;
        string? next = null;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (seats.Count == limit)
                {
                    // one more than asked for: there is a next page, after the last seat of this one
                    next = last.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                }

                seats.Add(new SeatView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetGuid(4),
                    reader.GetString(5), new Money(reader.GetInt64(6), reader.GetString(7)), (SeatStatus)reader.GetInt16(8),
                    reader.GetInt16(10) switch { AccessibleSeats.Wheelchair => "wheelchair", AccessibleSeats.Companion => "companion", _ => null },
                    reader.IsDBNull(11) ? null : reader.GetGuid(11)));
                last = reader.GetInt32(9);
            }
        }

        return new SeatMap(eventId, (SeatingKind)seating, available, held, sold, seats, next, accessible);
    }

    private async Task<EventPage> QueryPageAsync(EventQuery q, CancellationToken ct)
    {
        var where = new List<string>();
        await using var cmd = db.CreateCommand();
        if (q.Type is not null) { where.Add("e.type = @type"); cmd.Parameters.AddWithValue("type", q.Type); }
        if (q.Location is not null)
        {
            where.Add("(v.city ILIKE @loc OR v.name ILIKE @loc OR v.country ILIKE @loc)");
            cmd.Parameters.AddWithValue("loc", "%" + q.Location.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
        }

        if (q.DateFrom is { } from) { where.Add("e.starts_at >= @from"); cmd.Parameters.AddWithValue("from", from.ToUniversalTime()); }
        if (q.DateTo is { } to) { where.Add("e.starts_at <= @to"); cmd.Parameters.AddWithValue("to", to.ToUniversalTime()); }
        var order = q.SortBy switch
        {
            "name" => "lower(e.name)",
            "location" => "lower(v.city), lower(v.name)",
            _ => "e.starts_at",
        };
        var dir = q.Descending ? "DESC" : "ASC";
        var filter = where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "";
        cmd.CommandText = $"""
            SELECT e.id, e.name, e.type, e.performer, e.description, e.starts_at, e.seating, e.currency,
                   v.id, v.name, v.city, v.country, v.address, count(*) OVER ()
            FROM events e JOIN venues v ON v.id = e.venue_id {filter}
            ORDER BY {order.Replace(",", $" {dir},", StringComparison.Ordinal)} {dir}, e.id {dir}
            LIMIT @size OFFSET @offset
            """;
        cmd.Parameters.AddWithValue("size", q.Size);
        cmd.Parameters.AddWithValue("offset", (long)(q.Page - 1) * q.Size);
        var events = new List<EventSummary>();
        long total = 0;
        // the reader is disposed exactly once, before the next command: Npgsql hands a connection's reader object to the
        // connection's next user, so a second dispose later could close someone else's results
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                events.Add(ReadSummary(reader));
                total = reader.GetInt64(13);
            }
        }

        if (events.Count == 0 && q.Page > 1)
        {
            await using var count = db.CreateCommand($"SELECT count(*) FROM events e JOIN venues v ON v.id = e.venue_id {filter}");
            foreach (NpgsqlParameter p in cmd.Parameters)
            {
                if (p.ParameterName is not ("size" or "offset"))
                {
                    count.Parameters.Add(p.Clone());
                }
            }

            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }

        return new EventPage(events, q.Page, q.Size, total);
    }

    /// <summary>Class counts per event: from the cache, the rest computed from the seats and cached.</summary>
    private async Task<Dictionary<Guid, ClassCount[]>> GetCountsAsync(Guid[] eventIds, CancellationToken ct)
    {
        var counts = await cache.GetAvailabilityAsync(eventIds);
        var missing = eventIds.Where(id => !counts.ContainsKey(id)).ToArray();
        if (missing.Length == 0)
        {
            return counts;
        }

        const string sql = """
            SELECT c.event_id, c.id,
                   count(s.id) FILTER (WHERE s.status = 0 OR (s.status = 1 AND s.hold_expires_at <= $2)),
                   count(s.id) FILTER (WHERE s.status = 1 AND s.hold_expires_at > $2),
                   count(s.id) FILTER (WHERE s.status = 2)
            FROM ticket_classes c LEFT JOIN seats s ON s.class_id = c.id
            WHERE c.event_id = ANY($1) GROUP BY c.event_id, c.id
            """;
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = missing });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        var computed = new Dictionary<Guid, List<ClassCount>>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var eventId = reader.GetGuid(0);
                if (!computed.TryGetValue(eventId, out var list))
                {
                    computed[eventId] = list = [];
                }

                list.Add(new ClassCount(reader.GetGuid(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4)));
            }
        }

        var fresh = computed.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        await cache.SetAvailabilityAsync(fresh);
        foreach (var (id, value) in fresh)
        {
            counts[id] = value;
        }

        return counts;
    }

    private static EventSummary ReadSummary(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.GetFieldValue<DateTimeOffset>(5), (SeatingKind)r.GetInt16(6), r.GetString(7),
        new VenueView(r.GetGuid(8), r.GetString(9), r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12)),
        0, 0);

    internal static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        }

        return command;
    }
}
