using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Events;

/// <summary>
/// Changes an event after it was created, for one reseller database, and keeps each change with its values before and
/// after (<c>event_history</c>). While nothing is sold (no order of the event exists) the organizer may change its name,
/// performer, description, start, venue, class prices and (general admission) quantities, and the seat plan; the seat
/// plan only while no seat was ever held, since holds keep their seats. After the first sale only the start and the
/// description change (<see cref="SafeFields"/>), and every order with a valid ticket gets an <c>order.event_changed</c>
/// outbox row, which the worker turns into the ticket holder's e-mail and the reseller's webhook. The decision and the
/// change are one transaction: the event row is locked, and for an unsafe change every seat of the event too (in id
/// order, as claims lock them), so no claim or sale slips between the check and the change.
/// </summary>
public sealed class EventChanges(NpgsqlDataSource db, InventoryCache cache, TimeProvider time)
{
    /// <summary>The fields that may change after the first sale.</summary>
    public static readonly IReadOnlySet<string> SafeFields = new HashSet<string>(StringComparer.Ordinal) { "starts_at", "description" };

    /// <summary>Applies <paramref name="cmd"/> to event <paramref name="eventId"/> for <paramref name="actor"/>.</summary>
    public async Task<Result<EventUpdated>> UpdateAsync(Guid eventId, UpdateEventCommand cmd, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (Validate(cmd) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        EventChangeView? change = null;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var current = await CurrentAsync(conn, tx, eventId, ct);
            if (current is null)
            {
                return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
            }

            if (current.Cancelled)
            {
                return new InventoryError(ErrorCodes.EventCancelled, $"Event '{eventId}' is cancelled; it no longer changes.");
            }

            var diff = Diff(current, cmd, out var unknownClass);
            if (unknownClass is not null)
            {
                return Invalid("ticket_classes", $"'{unknownClass}' is not a class of this event (classes are matched by name; none is added or removed).");
            }

            EventPlan? plan = null;
            if (diff.Fields.Contains("seat_plan"))
            {
                var planned = EventValidation.Plan(Merged(current, cmd), current.Currency);
                if (planned.Error is { } planError)
                {
                    return planError;
                }

                plan = planned.Value!;
                diff.Before["seat_plan"] = SeatPlanSummary(current.Classes.ToDictionary(c => c.Name, c => c.Capacity));
                diff.After["seat_plan"] = SeatPlanSummary(plan.Classes.ToDictionary(c => c.Name, c => c.Capacity));
            }

            if (diff.Fields.Count == 0)
            {
                await tx.RollbackAsync(ct);
                return new EventUpdated(await EventAsync(eventId, ct), null);
            }

            var unsafeFields = diff.Fields.Where(f => !SafeFields.Contains(f)).ToList();
            if (unsafeFields.Count > 0)
            {
                // no claim or sale between this check and the change: they lock the same seats
                await ExecuteAsync(conn, tx, "SELECT count(*) FROM (SELECT 1 FROM seats WHERE event_id = $1 ORDER BY id FOR UPDATE) locked", ct, eventId);
            }

            var sold = await ScalarAsync<bool>(conn, tx, "SELECT EXISTS (SELECT 1 FROM orders WHERE event_id = $1)", ct, eventId);
            if (sold && unsafeFields.Count > 0)
            {
                return new InventoryError(ErrorCodes.EventHasSales,
                    $"Event '{eventId}' has sales: only {string.Join(" and ", SafeFields.Order())} may change now, not {string.Join(", ", unsafeFields)}.",
                    Extensions: new Dictionary<string, object?> { ["refused_fields"] = unsafeFields, ["allowed_fields"] = SafeFields.Order().ToArray() });
            }

            if (plan is not null && await ScalarAsync<bool>(conn, tx, "SELECT EXISTS (SELECT 1 FROM holds WHERE event_id = $1)", ct, eventId))
            {
                return new InventoryError(ErrorCodes.EventHasHolds,
                    $"Seats of event '{eventId}' were held: its seat plan no longer changes (holds keep their seats); prices, names and the venue still may.");
            }

            await ApplyAsync(conn, tx, current, cmd, plan, ct);
            var id = Guid.CreateVersion7(now);
            var (before, after) = (diff.Before.ToJsonString(), diff.After.ToJsonString());
            var fields = diff.Fields.ToArray();
            var notified = 0;
            if (sold)
            {
                notified = await ExecuteAsync(conn, tx, """
                    INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
                    SELECT 'order.event_changed', o.id, o.event_id, jsonb_build_object(
                               'order_id', o.id, 'event_id', o.event_id, 'customer_ref', o.customer_ref, 'customer_email', o.customer_email,
                               'change_id', $2::uuid, 'fields', to_jsonb($3::text[]), 'before', $4::jsonb, 'after', $5::jsonb), $6
                    FROM orders o
                    WHERE o.event_id = $1 AND EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id AND t.status = 'valid')
                    ORDER BY o.created_at, o.id
                    """, ct, eventId, id, fields, before, after, now);
            }

            await ExecuteAsync(conn, tx, """
                INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
                VALUES ('event.updated', $1, $1, jsonb_build_object('event_id', $1::uuid, 'change_id', $2::uuid, 'fields', to_jsonb($3::text[]),
                        'before', $4::jsonb, 'after', $5::jsonb, 'notified_orders', $6::int), $7)
                """, ct, eventId, id, fields, before, after, notified, now);
            await ExecuteAsync(conn, tx, """
                INSERT INTO event_history (id, event_id, changed_at, actor, fields, before, after, notified_orders)
                VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)
                """, ct, id, eventId, now, actor, fields, before, after, notified);
            await tx.CommitAsync(ct);
            change = new EventChangeView(id, eventId, now, actor, fields, JsonDocument.Parse(before).RootElement.Clone(),
                JsonDocument.Parse(after).RootElement.Clone(), notified);
        }

        await cache.InvalidateListsAsync();
        await cache.InvalidateAvailabilityAsync(eventId);
        return new EventUpdated(await EventAsync(eventId, ct), change);
    }

    /// <summary>The changes of event <paramref name="eventId"/>, oldest first.</summary>
    public async Task<Result<EventHistory>> HistoryAsync(Guid eventId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await ScalarAsync<bool>(conn, null, "SELECT EXISTS (SELECT 1 FROM events WHERE id = $1)", ct, eventId))
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        await using var cmd = new NpgsqlCommand("""
            SELECT id, changed_at, actor, fields, before::text, after::text, notified_orders FROM event_history
            WHERE event_id = $1 ORDER BY changed_at, id
            """, conn);
        cmd.Parameters.Add(new() { Value = eventId });
        var changes = new List<EventChangeView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            using var before = JsonDocument.Parse(reader.GetString(4));
            using var after = JsonDocument.Parse(reader.GetString(5));
            changes.Add(new EventChangeView(reader.GetGuid(0), eventId, reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.GetFieldValue<string[]>(3), before.RootElement.Clone(), after.RootElement.Clone(), reader.GetInt32(6)));
        }

        return new EventHistory(eventId, changes);
    }

    private async Task<EventDetail> EventAsync(Guid eventId, CancellationToken ct) =>
        (await new EventCatalog(db, cache, time).GetAsync(eventId, ct)).Value!;

    private static InventoryError? Validate(UpdateEventCommand cmd)
    {
        var errors = new FieldErrors();
        var add = errors.Add;
        if (cmd is { Name: null, Performer: null, Description: null, StartsAt: null, Venue: null, TicketClasses: null, Sections: null })
        {
            add("name", "Nothing to change: give at least one of name, performer, description, starts_at, venue, ticket_classes, sections.");
        }

        if (cmd.Name is not null) { EventValidation.Text(cmd.Name, "name", EventLimits.MaxNameLength, required: true, add); }
        if (cmd.Performer is not null) { EventValidation.Text(cmd.Performer, "performer", EventLimits.MaxNameLength, required: false, add); }
        if (cmd.Description is not null) { EventValidation.Text(cmd.Description, "description", EventLimits.MaxDescriptionLength, required: false, add); }
        if (cmd.Venue is { } venue)
        {
            if (venue.Name is not null) { EventValidation.Text(venue.Name, "venue.name", EventLimits.MaxNameLength, required: true, add); }
            if (venue.City is not null) { EventValidation.Text(venue.City, "venue.city", EventLimits.MaxShortTextLength, required: true, add); }
            if (venue.Country is not null) { EventValidation.Text(venue.Country, "venue.country", EventLimits.MaxShortTextLength, required: false, add); }
            if (venue.Address is not null) { EventValidation.Text(venue.Address, "venue.address", EventLimits.MaxAddressLength, required: false, add); }
        }

        if (cmd.TicketClasses is { } classes)
        {
            if (classes.Count is 0 or > EventLimits.MaxClasses) { add("ticket_classes", $"1 to {EventLimits.MaxClasses} classes, by name."); }
            for (var i = 0; i < classes.Count && i < EventLimits.MaxClasses; i++)
            {
                var c = classes[i];
                EventValidation.Text(c.Name, $"ticket_classes[{i}].name", EventLimits.MaxShortTextLength, required: true, add);
                if (c.PriceMinor is < 0 or > EventLimits.MaxPriceMinor) { add($"ticket_classes[{i}].price_minor", $"0 to {EventLimits.MaxPriceMinor} (minor units)."); }
                if (c.Quantity is < 1 or > EventLimits.MaxUnitsPerEvent) { add($"ticket_classes[{i}].quantity", $"1..{EventLimits.MaxUnitsPerEvent} (general admission)."); }
            }

            if (classes.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != classes.Count) { add("ticket_classes", "A class is listed twice."); }
        }

        return errors.Count > 0 ? InventoryError.Validation(errors.ToDictionary()) : null;
    }

    private static (List<string> Fields, JsonObject Before, JsonObject After) Diff(Current current, UpdateEventCommand cmd, out string? unknownClass)
    {
        var fields = new List<string>();
        var before = new JsonObject();
        var after = new JsonObject();
        void Field<T>(string name, T was, T? now)
        {
            if (now is not null && !EqualityComparer<T>.Default.Equals(was, now))
            {
                fields.Add(name);
                before[name] = JsonSerializer.SerializeToNode(was);
                after[name] = JsonSerializer.SerializeToNode(now);
            }
        }

        Field("name", current.Name, cmd.Name?.Trim());
        Field("performer", current.Performer, cmd.Performer?.Trim());
        Field("description", current.Description, cmd.Description);
        Field("starts_at", (DateTimeOffset?)current.StartsAt.ToUniversalTime(), cmd.StartsAt?.ToUniversalTime());
        if (cmd.Venue is { } v)
        {
            var venueBefore = new JsonObject();
            var venueAfter = new JsonObject();
            foreach (var (name, was, now) in new[] { ("name", current.VenueName, v.Name?.Trim()), ("city", current.City, v.City?.Trim()),
                         ("country", current.Country, v.Country?.Trim()), ("address", current.Address, v.Address?.Trim()) })
            {
                if (now is not null && now != was)
                {
                    venueBefore[name] = was;
                    venueAfter[name] = now;
                }
            }

            if (venueAfter.Count > 0)
            {
                fields.Add("venue");
                (before["venue"], after["venue"]) = (venueBefore, venueAfter);
            }
        }

        unknownClass = null;
        var pricesBefore = new JsonObject();
        var pricesAfter = new JsonObject();
        var quantities = false;
        foreach (var c in cmd.TicketClasses ?? [])
        {
            var existing = current.Classes.FirstOrDefault(x => x.Name == c.Name);
            if (existing is null)
            {
                unknownClass = c.Name;
                break;
            }

            if (c.PriceMinor is { } price && price != existing.PriceMinor)
            {
                pricesBefore[existing.Name] = existing.PriceMinor;
                pricesAfter[existing.Name] = price;
            }

            quantities |= current.Seating == SeatingKind.GeneralAdmission && c.Quantity is { } q && q != existing.Capacity;
        }

        if (pricesAfter.Count > 0)
        {
            fields.Add("prices");
            (before["prices"], after["prices"]) = (pricesBefore, pricesAfter);
        }

        if (quantities || cmd.Sections is not null)
        {
            fields.Add("seat_plan");
        }

        return (fields, before, after);
    }

    /// <summary>The event as a creation command with the changes applied: what <see cref="EventValidation.Plan"/> builds a new seat plan from.</summary>
    private static CreateEventCommand Merged(Current current, UpdateEventCommand cmd) => new(
        cmd.Name ?? current.Name, current.Type, cmd.Performer ?? current.Performer, cmd.Description ?? current.Description, cmd.StartsAt ?? current.StartsAt,
        new VenueInput(cmd.Venue?.Name ?? current.VenueName, cmd.Venue?.City ?? current.City, cmd.Venue?.Country ?? current.Country, cmd.Venue?.Address ?? current.Address),
        current.Seating == SeatingKind.Reserved ? "reserved" : "general_admission", null,
        [.. current.Classes.Select(c => cmd.TicketClasses?.FirstOrDefault(x => x.Name == c.Name) is { } changed
            ? new TicketClassInput(c.Name, changed.PriceMinor ?? c.PriceMinor, current.Seating == SeatingKind.GeneralAdmission ? changed.Quantity ?? c.Capacity : null)
            : new TicketClassInput(c.Name, c.PriceMinor, current.Seating == SeatingKind.GeneralAdmission ? c.Capacity : null))],
        current.Seating == SeatingKind.Reserved ? cmd.Sections : null);

    private static JsonObject SeatPlanSummary(Dictionary<string, int> capacities)
    {
        var classes = new JsonObject();
        foreach (var (name, capacity) in capacities.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            classes[name] = capacity;
        }

        return new JsonObject { ["units"] = capacities.Values.Sum(), ["classes"] = classes };
    }

    private static async Task ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Current current, UpdateEventCommand cmd, EventPlan? plan, CancellationToken ct)
    {
        await ExecuteAsync(conn, tx, """
            UPDATE events SET name = coalesce($2, name), performer = coalesce($3, performer), description = coalesce($4, description),
                              starts_at = coalesce($5, starts_at)
            WHERE id = $1
            """, ct, current.Id, cmd.Name?.Trim(), cmd.Performer?.Trim(), cmd.Description, cmd.StartsAt?.ToUniversalTime());
        if (cmd.Venue is { } v)
        {
            await ExecuteAsync(conn, tx, """
                UPDATE venues SET name = coalesce($2, name), city = coalesce($3, city), country = coalesce($4, country), address = coalesce($5, address)
                WHERE id = $1
                """, ct, current.VenueId, v.Name?.Trim(), v.City?.Trim(), v.Country?.Trim(), v.Address?.Trim());
        }

        foreach (var c in current.Classes)
        {
            if (cmd.TicketClasses?.FirstOrDefault(x => x.Name == c.Name) is { PriceMinor: { } price } && price != c.PriceMinor)
            {
                await ExecuteAsync(conn, tx, "UPDATE ticket_classes SET price_minor = $2 WHERE id = $1", ct, c.Id, price);
                // seats that follow their class's price follow it to the new one; a seat given its own price keeps it
                await ExecuteAsync(conn, tx, "UPDATE seats SET price_minor = $3, version = version + 1 WHERE class_id = $1 AND price_minor = $2",
                    ct, c.Id, c.PriceMinor, price);
            }
        }

        if (plan is null)
        {
            return;
        }

        // the new plan's classes are the event's own (by name): their ids stay, so vouchers, waitlists and queues keep them
        var ids = current.Classes.ToDictionary(c => c.Name, c => c.Id, StringComparer.Ordinal);
        var byPlanned = plan.Classes.ToDictionary(c => c.Id, c => ids[c.Name]);
        await ExecuteAsync(conn, tx, "DELETE FROM seats WHERE event_id = $1", ct, current.Id);
        foreach (var c in plan.Classes)
        {
            await ExecuteAsync(conn, tx, "UPDATE ticket_classes SET capacity = $2, price_minor = $3 WHERE id = $1", ct, ids[c.Name], c.Capacity, c.PriceMinor);
        }

        await SeatImport.WriteAsync(conn, current.Id, plan.Units, id => byPlanned[id], ct);
    }

    private static async Task<Current?> CurrentAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid eventId, CancellationToken ct)
    {
        Current? current;
        await using (var cmd = new NpgsqlCommand("""
            SELECT e.name, e.type, e.performer, e.description, e.starts_at, e.seating, e.currency, e.status, v.id, v.name, v.city, v.country, v.address
            FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1 FOR UPDATE OF e
            """, conn, tx))
        {
            cmd.Parameters.Add(new() { Value = eventId });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            current = new Current(eventId, reader.GetString(0), reader.GetString(1), Text(2), Text(3), reader.GetFieldValue<DateTimeOffset>(4),
                (SeatingKind)reader.GetInt16(5), reader.GetString(6), reader.GetInt16(7) == 1, reader.GetGuid(8), reader.GetString(9), reader.GetString(10),
                Text(11), Text(12), []);
        }

        await using var classes = new NpgsqlCommand("SELECT id, name, price_minor, capacity FROM ticket_classes WHERE event_id = $1 ORDER BY name", conn, tx);
        classes.Parameters.Add(new() { Value = eventId });
        await using var rows = await classes.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            current.Classes.Add(new CurrentClass(rows.GetGuid(0), rows.GetString(1), rows.GetInt64(2), rows.GetInt32(3)));
        }

        return current;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params object?[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        AddAll(cmd, values);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params object?[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        AddAll(cmd, values);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static void AddAll(NpgsqlCommand cmd, object?[] values)
    {
        foreach (var v in values)
        {
            // a null is a text or a timestamp the change leaves as it is (coalesce keeps the column)
            cmd.Parameters.Add(v is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown } : new NpgsqlParameter { Value = v });
        }
    }

    private static InventoryError Invalid(string field, string message) =>
        InventoryError.Validation(new Dictionary<string, string[]> { [field] = [message] });

    private sealed record Current(
        Guid Id, string Name, string Type, string? Performer, string? Description, DateTimeOffset StartsAt, SeatingKind Seating, string Currency,
        bool Cancelled, Guid VenueId, string VenueName, string City, string? Country, string? Address, List<CurrentClass> Classes);

    private sealed record CurrentClass(Guid Id, string Name, long PriceMinor, int Capacity);
}
