using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Services;

namespace TicketAspire.Inventory.Payments;

/// <summary>
/// Full refunds of paid orders through the PSP (seed 000): an end user within the event's refund policy, a reseller's
/// back end within it too, support staff regardless (forced, audited), and every paid order of a cancelled event. A
/// refund is recorded as requested first, then sent to the PSP with the refund's id as idempotency key, so a PSP outage
/// or a crash leaves it requested and the worker finishes it; completing it voids the tickets, releases or voids the
/// seats, posts the reversing ledger entry and tells the reseller, in one transaction.
/// </summary>
public sealed partial class RefundService(
    NpgsqlDataSource db, InventoryCache cache, IPaymentGateway psp, TimeProvider time, ILogger<RefundService>? logger = null)
{
    private readonly ILogger _log = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>
    /// Requests the refund of an order and sends it to the PSP. <paramref name="customerRef"/> restricts it to that
    /// customer's orders; <paramref name="force"/> skips the event's refund policy (support staff).
    /// </summary>
    public async Task<Result<RefundView>> RequestAsync(Guid orderId, string? reason, string initiatedBy, string? customerRef, bool force, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(initiatedBy);
        if (reason is { Length: > 500 })
        {
            return InventoryError.Validation(new Dictionary<string, string[]> { ["reason"] = ["At most 500 characters."] });
        }

        var now = time.GetUtcNow();
        Guid refundId;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var order = await OrderLedger.LockAsync(conn, tx, orderId, ct);
            if (order is null || (customerRef is not null && order.CustomerRef != customerRef))
            {
                return InventoryError.NotFound(ErrorCodes.OrderNotFound, "Order", orderId);
            }

            if (await ExistingAsync(conn, tx, orderId, ct) is { } existing)
            {
                await tx.RollbackAsync(ct);
                return existing.Status == "requested" ? await ProcessAsync(existing.Id, ct) : existing;
            }

            if (order.Status != "confirmed")
            {
                return new InventoryError(ErrorCodes.RefundNotAllowed, $"Order '{orderId}' is {order.Status.Replace('_', ' ')}; it cannot be refunded.");
            }

            if (order.PaymentId is null)
            {
                return new InventoryError(ErrorCodes.RefundNotAllowed, $"Order '{orderId}' was not paid through the PSP; there is nothing to refund.");
            }

            if (!force && !order.EventCancelled && PolicyRefusal(order, now) is { } refusal)
            {
                return new InventoryError(ErrorCodes.RefundNotAllowed, refusal);
            }

            refundId = Guid.CreateVersion7();
            var voided = order.EventCancelled || order.EventStartsAt <= now;
            await using var insert = new NpgsqlCommand("""
                INSERT INTO refunds (id, order_id, amount_minor, currency, reason, initiated_by, seat_disposition, status, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8)
                """, conn, tx);
            foreach (var value in new object[] { refundId, orderId, order.Price.TotalMinor, order.Price.Currency,
                         string.IsNullOrWhiteSpace(reason) ? "requested_by_customer" : reason.Trim(), initiatedBy, voided ? "voided" : "released", now })
            {
                insert.Parameters.Add(new() { Value = value });
            }

            await insert.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        LogRequested(_log, refundId, orderId, initiatedBy, force);
        return await ProcessAsync(refundId, ct);
    }

    /// <summary>Sends a requested refund to the PSP and completes it; a PSP outage leaves it requested (answered as such).</summary>
    public async Task<Result<RefundView>> ProcessAsync(Guid refundId, CancellationToken ct)
    {
        var refund = await GetAsync(refundId, ct);
        if (refund is null)
        {
            return new InventoryError(ErrorCodes.OrderNotFound, $"Refund '{refundId}' does not exist.");
        }

        if (refund.View.Status != "requested")
        {
            return refund.View;
        }

        PspRefund done;
        try
        {
            done = await psp.RefundAsync(refund.IntentId, refund.View.Amount.MinorUnits, refund.View.Reason, $"refund-{refundId}", ct);
        }
        catch (PaymentGatewayException ex)
        {
            await using var failed = db.CreateCommand("UPDATE refunds SET attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'requested'");
            failed.Parameters.Add(new() { Value = refundId });
            failed.Parameters.Add(new() { Value = ex.Message });
            await failed.ExecuteNonQueryAsync(ct);
            LogPspFailed(_log, refundId, ex.Message);
            return refund.View;     // still requested: the worker tries again
        }

        return await CompleteAsync(refundId, done.Id, ct);
    }

    /// <summary>Processes refunds left requested (PSP outages, cancelled events); returns how many completed.</summary>
    public async Task<int> ProcessPendingAsync(int batchSize, CancellationToken ct)
    {
        var ids = new List<Guid>();
        await using (var cmd = db.CreateCommand("SELECT id FROM refunds WHERE status = 'requested' ORDER BY created_at LIMIT $1"))
        {
            cmd.Parameters.Add(new() { Value = batchSize });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        var completed = 0;
        foreach (var id in ids)
        {
            if ((await ProcessAsync(id, ct)).Value is { Status: "succeeded" })
            {
                completed++;
            }
        }

        return completed;
    }

    private async Task<Result<RefundView>> CompleteAsync(Guid refundId, string pspRefundId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        Guid eventId;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var lockRefund = new NpgsqlCommand("SELECT order_id, status, seat_disposition, reason FROM refunds WHERE id = $1 FOR UPDATE", conn, tx))
            {
                lockRefund.Parameters.Add(new() { Value = refundId });
                await using var reader = await lockRefund.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                if (reader.GetString(1) != "requested")
                {
                    await reader.DisposeAsync();
                    await tx.RollbackAsync(ct);
                    return (await GetAsync(refundId, ct))!.View;
                }
            }

            var refund = (await GetAsync(refundId, ct, conn, tx))!;
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
            batch.BatchCommands.Add(EventCatalog.Command("UPDATE refunds SET status = 'succeeded', psp_refund_id = $2, completed_at = $3 WHERE id = $1", refundId, pspRefundId, now));
            batch.BatchCommands.Add(EventCatalog.Command("UPDATE orders SET status = 'refunded' WHERE id = $1", order.Id));
            foreach (var command in OrderLedger.SettleSeats(order.Id, order.EventId, release))
            {
                batch.BatchCommands.Add(command);
            }

            batch.BatchCommands.Add(EventCatalog.Command("""
                INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ('order.refunded', $1, $2, $3::jsonb, $4)
                """, order.Id, order.EventId, payload, now));
            await batch.ExecuteNonQueryAsync(ct);
            await Ledger.Ledger.PostAsync(conn, tx, Ledger.Postings.Refund(refundId, order.Id, order.EventId, classes, order.Price, order.FraudFlagged, now), ct);
            await tx.CommitAsync(ct);
        }

        await cache.InvalidateAvailabilityAsync(eventId);
        LogCompleted(_log, refundId, pspRefundId);
        return (await GetAsync(refundId, ct))!.View;
    }

    /// <summary>Why the event's refund policy refuses a self-service refund now, or null if it allows it.</summary>
    private static string? PolicyRefusal(LockedOrder order, DateTimeOffset now)
    {
        if (order.RefundCutoffHours is not { } hours)
        {
            return "Tickets of this event are not refundable.";
        }

        var until = order.EventStartsAt.AddHours(-hours);
        return now < until ? null : $"Refunds of this event closed at {until:O} ({hours} h before it starts).";
    }

    private static async Task<RefundView?> ExistingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.order_id = $1", conn, tx);
        cmd.Parameters.Add(new() { Value = orderId });
        return (await ReadAsync(cmd, ct))?.View;
    }

    private async Task<RefundRow?> GetAsync(Guid refundId, CancellationToken ct, NpgsqlConnection? conn = null, NpgsqlTransaction? tx = null)
    {
        var own = conn is null;
        conn ??= await db.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.id = $1", conn, tx);
            cmd.Parameters.Add(new() { Value = refundId });
            return await ReadAsync(cmd, ct);
        }
        finally
        {
            if (own)
            {
                await conn.DisposeAsync();
            }
        }
    }

    private const string Columns = """
        r.id, r.status, r.amount_minor, r.currency, r.reason, r.initiated_by, r.seat_disposition, r.created_at, r.completed_at, r.order_id, o.payment_reference
        """;

    private static async Task<RefundRow?> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var view = new RefundView(reader.GetGuid(0), reader.GetString(1), new Money(reader.GetInt64(2), reader.GetString(3)), reader.GetString(4),
            reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
            reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8));
        return new RefundRow(view, reader.GetGuid(9), reader.GetString(10));
    }

    private sealed record RefundRow(RefundView View, Guid OrderId, string IntentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refund {RefundId} of order {OrderId} requested by {InitiatedBy} (forced: {Forced})")]
    private static partial void LogRequested(ILogger logger, Guid refundId, Guid orderId, string initiatedBy, bool forced);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refund {RefundId} completed (PSP refund {PspRefundId})")]
    private static partial void LogCompleted(ILogger logger, Guid refundId, string pspRefundId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund {RefundId} not sent to the PSP, left requested for the worker: {Error}")]
    private static partial void LogPspFailed(ILogger logger, Guid refundId, string error);
}
