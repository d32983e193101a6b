using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Waitlist;

/// <summary>
/// Waitlists of sold-out classes in one reseller database. Customers join while a class has too few units for them; when
/// units come back (a hold expired or was cancelled, an order refunded) <see cref="OfferAsync"/> makes the next entry, in
/// join order, an exclusive hold on them (the hold takes the units, so nobody else can) and tells the outbox
/// (<c>waitlist.offered</c>). An offer that lapses marks its entry expired and the next one is offered; so does an entry
/// no hold can be made for (<see cref="WaitlistClosedReasons"/>).
/// </summary>
public sealed class WaitlistService(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>The outbox topic of an offer.</summary>
    public const string OfferedTopic = "waitlist.offered";

    /// <summary>Most tickets one entry waits for.</summary>
    public const int MaxQuantity = 4;

    private const string Columns = """
        w.id, w.event_id, w.class_id, w.customer_ref, w.quantity, w.status, w.joined_at, w.offer_hold_id, w.offer_expires_at,
        (SELECT count(*) FROM waitlist_entries a WHERE a.class_id = w.class_id AND a.status = 'waiting' AND a.position < w.position),
        w.closed_reason, w.closed_detail
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
        // the address the offer's hold will carry: refused here as a hold would refuse it
        if (cmd.CustomerEmail is { } email && !HoldService.IsPlausibleEmail(email.Trim())) { errors["customer_email"] = ["An e-mail address, at most 254 characters."]; }
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
                reader.IsDBNull(7) ? null : reader.GetGuid(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11)));
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
    /// holds of <paramref name="offerSeconds"/> made with <see cref="HoldService.OfferAsync"/> (an offer is the customer's
    /// admission). A class whose next entry cannot be served yet waits: nobody behind is served first.
    /// An entry no hold can ever be made for (its e-mail address refused, the customer at the purchase limit) is closed
    /// as <c>expired</c> with a <see cref="WaitlistClosedReasons">reason</see>, and the next one is offered.
    /// </summary>
    public Task<IReadOnlyList<WaitlistOffer>> OfferAsync(HoldService holds, int offerSeconds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(holds);
        return new WaitlistOfferer(db, time).OfferAsync(holds, offerSeconds, ct);
    }
}
