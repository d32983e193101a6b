using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Payments;

/// <summary>
/// What becomes of a requested refund after a PSP call, each in one transaction guarded by the refund still being
/// requested: done (tickets void, seats released or voided, the reversing journal entry, <c>order.refunded</c>), refused
/// for good (<c>failed</c>, <c>refund.failed</c>), or sent again later (the next attempt's time, with backoff).
/// </summary>
internal sealed class RefundOutcomes(NpgsqlDataSource db, InventoryCache cache, TimeProvider time)
{
    /// <summary>The outbox topic of a refund the PSP refused for good.</summary>
    public const string FailedTopic = "refund.failed";

    public async Task<RefundView> CompleteAsync(Guid refundId, string pspRefundId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        Guid eventId;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            if (await LockRequestedAsync(conn, tx, refundId, ct) is not { } refund)
            {
                await tx.RollbackAsync(ct);
                return await ViewAsync(refundId, ct);
            }

            var order = (await OrderLedger.LockAsync(conn, tx, refund.OrderId, ct))!;
            eventId = order.EventId;
            var release = refund.View.SeatDisposition == "released";
            var classes = await OrderLedger.ClassAmountsAsync(conn, tx, order.Id, ct);
            var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["order_id"] = order.Id, ["refund_id"] = refundId, ["event_id"] = order.EventId, ["amount"] = order.Price.TotalMinor,
                ["currency"] = order.Price.Currency, ["reason"] = refund.View.Reason, ["initiated_by"] = refund.View.InitiatedBy,
                ["seat_disposition"] = refund.View.SeatDisposition, ["customer_ref"] = order.CustomerRef, ["customer_email"] = order.CustomerEmail,
            });
            await using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(EventCatalog.Command("""
                UPDATE refunds SET status = 'succeeded', psp_refund_id = $2, completed_at = $3, last_error = NULL, next_attempt_at = NULL
                WHERE id = $1
                """, refundId, pspRefundId, now));
            batch.BatchCommands.Add(EventCatalog.Command("UPDATE orders SET status = 'refunded' WHERE id = $1", order.Id));
            foreach (var command in OrderLedger.SettleSeats(order.Id, order.EventId, release))
            {
                batch.BatchCommands.Add(command);
            }

            batch.BatchCommands.Add(Outbox("order.refunded", order.Id, order.EventId, payload, now));
            await batch.ExecuteNonQueryAsync(ct);
            await Ledger.Ledger.PostAsync(conn, tx, Ledger.Postings.Refund(refundId, order.Id, order.EventId, classes, order.Price, order.FraudFlagged, now,
                order.ResaleSellerShare), ct);
            await tx.CommitAsync(ct);
        }

        await cache.InvalidateAvailabilityAsync(eventId);
        return await ViewAsync(refundId, ct);
    }

    /// <summary>The PSP refused the refund for good (a 4xx): failed, with its code and message, and the reseller is told.</summary>
    public async Task<RefundView> FailAsync(Guid refundId, string code, string error, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            if (await LockRequestedAsync(conn, tx, refundId, ct) is { } refund)
            {
                var order = (await OrderLedger.LockAsync(conn, tx, refund.OrderId, ct))!;
                var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["order_id"] = order.Id, ["refund_id"] = refundId, ["event_id"] = order.EventId, ["amount"] = refund.View.Amount.MinorUnits,
                    ["currency"] = refund.View.Amount.Currency, ["reason"] = refund.View.Reason, ["initiated_by"] = refund.View.InitiatedBy,
                    ["failure_code"] = code, ["error"] = error, ["attempts"] = refund.View.Attempts + 1, ["customer_ref"] = order.CustomerRef,
                });
                await using var batch = new NpgsqlBatch(conn, tx)
                {
                    BatchCommands =
                    {
                        EventCatalog.Command("""
                            UPDATE refunds SET status = 'failed', failure_code = $2, last_error = $3, failed_at = $4, attempts = attempts + 1, next_attempt_at = NULL
                            WHERE id = $1
                            """, refundId, code, error, now),
                        Outbox(FailedTopic, order.Id, order.EventId, payload, now),
                    },
                };
                await batch.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        return await ViewAsync(refundId, ct);
    }

    /// <summary>The PSP did not answer: one more attempt counted, the next one not before <paramref name="next"/>.</summary>
    public async Task<RefundView> PostponeAsync(Guid refundId, string error, DateTimeOffset next, CancellationToken ct)
    {
        await using (var cmd = db.CreateCommand("""
            UPDATE refunds SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1 AND status = 'requested'
            """))
        {
            cmd.Parameters.Add(new() { Value = refundId });
            cmd.Parameters.Add(new() { Value = error });
            cmd.Parameters.Add(new() { Value = next });
            await cmd.ExecuteNonQueryAsync(ct);
        }

        return await ViewAsync(refundId, ct);
    }

    private async Task<RefundView> ViewAsync(Guid refundId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await RefundRow.ByIdAsync(conn, null, refundId, ct))!.View;
    }

    private static async Task<RefundRow?> LockRequestedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid refundId, CancellationToken ct)
    {
        await using (var lockRefund = new NpgsqlCommand("SELECT status FROM refunds WHERE id = $1 FOR UPDATE", conn, tx))
        {
            lockRefund.Parameters.Add(new() { Value = refundId });
            if (await lockRefund.ExecuteScalarAsync(ct) is not "requested")
            {
                return null;
            }
        }

        return await RefundRow.ByIdAsync(conn, tx, refundId, ct);
    }

    private static NpgsqlBatchCommand Outbox(string topic, Guid orderId, Guid eventId, string payload, DateTimeOffset now) =>
        EventCatalog.Command("INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)",
            topic, orderId, eventId, payload, now);
}
