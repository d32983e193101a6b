using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Waitlist;

/// <summary>
/// One offering round of <see cref="WaitlistService.OfferAsync"/>: settles lapsed and paid offers, then offers units that
/// came back to the next entries of each class in join order. An entry no hold can ever be made for (the hold refuses its
/// data, or the customer is at the purchase limit) is closed as <c>expired</c> with its reason and the next is served.
/// </summary>
internal sealed class WaitlistOfferer(NpgsqlDataSource db, TimeProvider time)
{
    private enum Outcome { Offered, Skipped, Wait }

    public async Task<IReadOnlyList<WaitlistOffer>> OfferAsync(HoldService holds, int offerSeconds, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var settle = db.CreateCommand("""
            UPDATE waitlist_entries w SET status = CASE WHEN h.status = 1 THEN 'accepted' ELSE 'expired' END,
                closed_reason = CASE h.status WHEN 1 THEN NULL WHEN 2 THEN $3 ELSE $2 END, closed_at = $1
            FROM holds h WHERE h.id = w.offer_hold_id AND w.status = 'offered' AND (h.status IN (1, 2, 3) OR w.offer_expires_at <= $1)
            """))
        {
            settle.Parameters.Add(new() { Value = now });
            settle.Parameters.Add(new() { Value = WaitlistClosedReasons.OfferLapsed });
            settle.Parameters.Add(new() { Value = WaitlistClosedReasons.OfferCancelled });
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
            while (true)
            {
                var (outcome, offer) = await OfferNextAsync(holds, eventId, classId, seating, offerSeconds, ct);
                if (outcome == Outcome.Wait)
                {
                    break;
                }

                if (offer is not null)
                {
                    offers.Add(offer);
                }
            }
        }

        return offers;
    }

    private async Task<(Outcome, WaitlistOffer?)> OfferNextAsync(
        HoldService holds, Guid eventId, Guid classId, SeatingKind seating, int offerSeconds, CancellationToken ct)
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
                return (Outcome.Wait, null);
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
                return (Outcome.Wait, null);
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
                return (Outcome.Wait, null);
            }

            seatIds = ids;
        }

        var hold = await holds.OfferAsync(new CreateHoldCommand(eventId, customerRef, seatIds,
            seatIds is null ? [new TicketRequest(classId, quantity)] : null, offerSeconds, email), ct);
        if (hold.Error is { } error)
        {
            if (WaitlistClosedReasons.ForHoldError(error) is not { } reason)
            {
                return (Outcome.Wait, null);   // not enough came back for this entry yet (or someone was faster): it stays first in line
            }

            // no hold can ever be made for this entry: close it with the reason, so the line moves on
            await using var skip = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("""
                        UPDATE waitlist_entries SET status = 'expired', closed_reason = $2, closed_detail = $3, closed_at = $4 WHERE id = $1
                        """, entryId, reason, WaitlistClosedReasons.Detail(error), now),
                },
            };
            await skip.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            return (Outcome.Skipped, null);
        }

        var offer = new WaitlistOffer(entryId, eventId, classId, customerRef, hold.Value!.Id, hold.Value.ExpiresAt);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                EventCatalog.Command("UPDATE waitlist_entries SET status = 'offered', offered_at = $2, offer_hold_id = $3, offer_expires_at = $4 WHERE id = $1",
                    entryId, now, offer.HoldId, offer.ExpiresAt),
                EventCatalog.Command("INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)",
                    WaitlistService.OfferedTopic, entryId, eventId, JsonSerializer.Serialize(new
                    {
                        waitlist_entry_id = entryId, event_id = eventId, class_id = classId, customer_ref = customerRef, customer_email = email,
                        quantity, hold_id = offer.HoldId, expires_at = offer.ExpiresAt,
                    }), now),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return (Outcome.Offered, offer);
    }
}
