using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Services;

namespace TicketAspire.Inventory.Waitlist;

/// <summary>
/// Waitlists of sold-out classes in one reseller database. Customers join while a class has too few units for them; when
/// units come back (a hold expired or was cancelled, an order refunded) <see cref="OfferAsync"/> makes the next entry, in
/// join order, an exclusive hold on them (the hold takes the units, so nobody else can) and tells the outbox
/// (<c>waitlist.offered</c>). An offer that lapses marks its entry expired and the next one is offered.
/// </summary>
public sealed class WaitlistService(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>The outbox topic of an offer.</summary>
    public const string OfferedTopic = "waitlist.offered";

    /// <summary>Most tickets one entry waits for.</summary>
    public const int MaxQuantity = 4;

    private const string Columns = """
        w.id, w.event_id, w.class_id, w.customer_ref, w.quantity, w.status, w.joined_at, w.offer_hold_id, w.offer_expires_at,
        (SELECT count(*) FROM waitlist_entries a WHERE a.class_id = w.class_id AND a.status = 'waiting' AND a.position < w.position)
        """;

    /// <summary>Joins (or returns the open entry of) the waitlist of a class of <paramref name="eventId"/>.</summary>
    public async Task<Result<WaitlistEntryView>> JoinAsync(Guid eventId, JoinWaitlistCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        await using (var ev = db.CreateCommand("SELECT 1 FROM events WHERE id = $1"))
        {
            ev.Parameters.Add(new() { Value = eventId });
            if (await ev.ExecuteScalarAsync(ct) is null)
            {
                return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
            }
        }

        var errors = new Dictionary<string, string[]>();
        if (cmd.ClassId is null) { errors["class_id"] = ["Required."]; }
        if (cmd.Quantity is not (>= 1 and <= MaxQuantity)) { errors["quantity"] = [$"Between 1 and {MaxQuantity}."]; }
        if (string.IsNullOrWhiteSpace(cmd.CustomerRef) || cmd.CustomerRef.Length > 200) { errors["customer_ref"] = ["Required, at most 200 characters."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        await using (var available = db.CreateCommand("""
            SELECT (SELECT count(*) FROM seats s WHERE s.class_id = c.id AND (s.status = 0 OR (s.status = 1 AND s.hold_expires_at <= $3)))
            FROM ticket_classes c WHERE c.id = $2 AND c.event_id = $1
            """))
        {
            available.Parameters.Add(new() { Value = eventId });
            available.Parameters.Add(new() { Value = cmd.ClassId!.Value });
            available.Parameters.Add(new() { Value = now });
            switch (await available.ExecuteScalarAsync(ct))
            {
                case null:
                    return InventoryError.Validation(new Dictionary<string, string[]> { ["class_id"] = ["Not a class of this event."] });
                case long free when free >= cmd.Quantity:
                    return new InventoryError(ErrorCodes.WaitlistNotSoldOut, $"{free} tickets of this class are available: hold them instead of waiting.");
            }
        }

        await using var join = db.CreateCommand("""
            INSERT INTO waitlist_entries (id, event_id, class_id, customer_ref, customer_email, quantity, joined_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (event_id, class_id, customer_ref) WHERE status IN ('waiting', 'offered') DO NOTHING
            """);
        join.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        join.Parameters.Add(new() { Value = eventId });
        join.Parameters.Add(new() { Value = cmd.ClassId!.Value });
        join.Parameters.Add(new() { Value = cmd.CustomerRef!.Trim() });
        join.Parameters.Add(new() { Value = (object?)cmd.CustomerEmail?.Trim() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        join.Parameters.Add(new() { Value = cmd.Quantity!.Value });
        join.Parameters.Add(new() { Value = now });
        await join.ExecuteNonQueryAsync(ct);
        var entries = await ListAsync(eventId, cmd.CustomerRef.Trim(), ct);
        return entries.First(e => e.ClassId == cmd.ClassId && e.Status is "waiting" or "offered");
    }

    /// <summary>The customer's entries on the waitlists of <paramref name="eventId"/>, newest first.</summary>
    public async Task<IReadOnlyList<WaitlistEntryView>> ListAsync(Guid eventId, string customerRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM waitlist_entries w WHERE w.event_id = $1 AND w.customer_ref = $2 ORDER BY w.position DESC");
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = customerRef });
        var list = new List<WaitlistEntryView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new WaitlistEntryView(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5),
                reader.GetString(5) == "waiting" ? reader.GetInt64(9) : 0, reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetGuid(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return list;
    }

    /// <summary>Leaves every waiting entry of the customer for <paramref name="eventId"/>; returns how many.</summary>
    public async Task<int> LeaveAsync(Guid eventId, string customerRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE waitlist_entries SET status = 'left', closed_at = $3 WHERE event_id = $1 AND customer_ref = $2 AND status = 'waiting'");
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = customerRef });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Closes lapsed and settled offers, then offers units that came back to the next entries of each class, in order, as
    /// holds of <paramref name="offerSeconds"/> made with <paramref name="holds"/> (which must not need admission: an offer
    /// is the customer's admission). A class whose next entry cannot be served waits: nobody behind is served first.
    /// </summary>
    public async Task<IReadOnlyList<WaitlistOffer>> OfferAsync(HoldService holds, int offerSeconds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(holds);
        var now = time.GetUtcNow();
        await using (var settle = db.CreateCommand("""
            UPDATE waitlist_entries w SET status = CASE WHEN h.status = 1 THEN 'accepted' ELSE 'expired' END, closed_at = $1
            FROM holds h WHERE h.id = w.offer_hold_id AND w.status = 'offered' AND (h.status IN (1, 2, 3) OR w.offer_expires_at <= $1)
            """))
        {
            settle.Parameters.Add(new() { Value = now });
            await settle.ExecuteNonQueryAsync(ct);
        }

        var classes = new List<(Guid EventId, Guid ClassId, SeatingKind Seating)>();
        await using (var due = db.CreateCommand("""
            SELECT DISTINCT w.event_id, w.class_id, e.seating FROM waitlist_entries w JOIN events e ON e.id = w.event_id
            WHERE w.status = 'waiting' AND e.status = 0 AND EXISTS (
                SELECT 1 FROM seats s WHERE s.class_id = w.class_id AND (s.status = 0 OR (s.status = 1 AND s.hold_expires_at <= $1)))
            """))
        {
            due.Parameters.Add(new() { Value = now });
            await using var reader = await due.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                classes.Add((reader.GetGuid(0), reader.GetGuid(1), (SeatingKind)reader.GetInt16(2)));
            }
        }

        var offers = new List<WaitlistOffer>();
        foreach (var (eventId, classId, seating) in classes)
        {
            while (await OfferNextAsync(holds, eventId, classId, seating, offerSeconds, ct) is { } offer)
            {
                offers.Add(offer);
            }
        }

        return offers;
    }

    private async Task<WaitlistOffer?> OfferNextAsync(HoldService holds, Guid eventId, Guid classId, SeatingKind seating, int offerSeconds, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // the class row is the class's offering lock: one worker offers a class at a time, strictly in order
        await using (var gate = new NpgsqlCommand("SELECT 1 FROM ticket_classes WHERE id = $1 FOR UPDATE SKIP LOCKED", conn, tx))
        {
            gate.Parameters.Add(new() { Value = classId });
            if (await gate.ExecuteScalarAsync(ct) is null)
            {
                return null;
            }
        }

        Guid entryId;
        string customerRef;
        string? email;
        int quantity;
        await using (var next = new NpgsqlCommand("""
            SELECT id, customer_ref, customer_email, quantity FROM waitlist_entries
            WHERE class_id = $1 AND status = 'waiting' ORDER BY position LIMIT 1
            """, conn, tx))
        {
            next.Parameters.Add(new() { Value = classId });
            await using var reader = await next.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            (entryId, customerRef, email, quantity) = (reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3));
        }

        IReadOnlyList<Guid>? seatIds = null;
        if (seating == SeatingKind.Reserved)
        {
            await using var free = new NpgsqlCommand("""
                SELECT id FROM seats WHERE class_id = $1 AND (status = 0 OR (status = 1 AND hold_expires_at <= $2)) ORDER BY ordinal LIMIT $3
                """, conn, tx);
            free.Parameters.Add(new() { Value = classId });
            free.Parameters.Add(new() { Value = now });
            free.Parameters.Add(new() { Value = quantity });
            var ids = new List<Guid>();
            await using (var reader = await free.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetGuid(0));
                }
            }

            if (ids.Count < quantity)
            {
                return null;
            }

            seatIds = ids;
        }

        var hold = await holds.CreateAsync(new CreateHoldCommand(eventId, customerRef, seatIds,
            seatIds is null ? [new TicketRequest(classId, quantity)] : null, offerSeconds, email), ct);
        if (hold.Error is not null)
        {
            return null;   // not enough came back for this entry yet (or someone was faster): it stays first in line
        }

        var offer = new WaitlistOffer(entryId, eventId, classId, customerRef, hold.Value!.Id, hold.Value.ExpiresAt);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                EventCatalog.Command("UPDATE waitlist_entries SET status = 'offered', offered_at = $2, offer_hold_id = $3, offer_expires_at = $4 WHERE id = $1",
                    entryId, now, offer.HoldId, offer.ExpiresAt),
                EventCatalog.Command("INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)",
                    OfferedTopic, entryId, eventId, JsonSerializer.Serialize(new
                    {
                        waitlist_entry_id = entryId, event_id = eventId, class_id = classId, customer_ref = customerRef, customer_email = email,
                        quantity, hold_id = offer.HoldId, expires_at = offer.ExpiresAt,
                    }), now),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return offer;
    }
}
