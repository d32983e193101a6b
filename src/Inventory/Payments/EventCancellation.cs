using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Payments;

/// <summary>
/// Cancels an event (seed 000): in one transaction no more holds (its free and held seats are voided, live holds
/// cancelled), and a refund is requested for every paid order; the worker sends those refunds to the PSP, and each one,
/// once done, voids its tickets and seats.
/// </summary>
public sealed class EventCancellation(NpgsqlDataSource db, InventoryCache cache, TimeProvider time)
{
    /// <summary>Cancels the event; cancelling it again answers the same summary.</summary>
    public async Task<Result<EventCancellationView>> CancelAsync(Guid eventId, string initiatedBy, string? reason, CancellationToken ct)
    {
        // the reason is every refund's reason at the PSP: one it refuses would fail every refund of the event
        if (RefundService.CheckReason(reason) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        int refunds;
        DateTimeOffset cancelledAt;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var lockEvent = new NpgsqlCommand("SELECT status, cancelled_at FROM events WHERE id = $1 FOR UPDATE", conn, tx))
            {
                lockEvent.Parameters.Add(new() { Value = eventId });
                await using var reader = await lockEvent.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
                }

                if (reader.GetInt16(0) == 1)
                {
                    cancelledAt = reader.GetFieldValue<DateTimeOffset>(1);
                    await reader.DisposeAsync();
                    await tx.RollbackAsync(ct);
                    return new EventCancellationView(eventId, "cancelled", cancelledAt, await CountRefundsAsync(eventId, ct));
                }
            }

            cancelledAt = now;
            var why = string.IsNullOrWhiteSpace(reason) ? "event_cancelled" : reason.Trim();
            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("UPDATE events SET status = 1, cancelled_at = $2 WHERE id = $1", eventId, now),
                    EventCatalog.Command("UPDATE holds SET status = 2, closed_at = $2 WHERE event_id = $1 AND status = 0", eventId, now),
                    EventCatalog.Command("""
                        UPDATE seats SET status = 3, hold_id = NULL, hold_expires_at = NULL, version = version + 1
                        WHERE event_id = $1 AND status IN (0, 1)
                        """, eventId),
                    EventCatalog.Command("""
                        INSERT INTO refunds (id, order_id, amount_minor, currency, reason, initiated_by, seat_disposition, status, created_at, next_attempt_at)
                        SELECT gen_random_uuid(), o.id, o.total_minor, o.currency, $2, $3, 'voided', 'requested', $4, $4
                        FROM orders o WHERE o.event_id = $1 AND o.status = 'confirmed' AND o.payment_id IS NOT NULL
                        ON CONFLICT (order_id) DO NOTHING
                        """, eventId, why, initiatedBy, now),
                },
            };
            await batch.ExecuteNonQueryAsync(ct);
            refunds = batch.BatchCommands[3].RecordsAffected;
            await using (var outbox = new NpgsqlCommand("""
                INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ('event.cancelled', $1, $1, $2::jsonb, $3)
                """, conn, tx))
            {
                outbox.Parameters.Add(new() { Value = eventId });
                outbox.Parameters.Add(new() { Value = JsonSerializer.Serialize(new { event_id = eventId, reason = why, refunds_requested = refunds, cancelled_at = now }) });
                outbox.Parameters.Add(new() { Value = now });
                await outbox.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        await cache.InvalidateAvailabilityAsync(eventId);
        await cache.InvalidateListsAsync();
        return new EventCancellationView(eventId, "cancelled", cancelledAt, refunds);
    }

    private async Task<int> CountRefundsAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*)::int FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.event_id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>A cancelled event and how many refunds its cancellation requested.</summary>
public sealed record EventCancellationView(Guid EventId, string Status, DateTimeOffset CancelledAt, int RefundsRequested);
