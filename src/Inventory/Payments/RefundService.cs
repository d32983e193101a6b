using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Payments;

/// <summary>
/// Full refunds of paid orders through the PSP (seed 000): an end user within the event's refund policy, a reseller's
/// back end within it too, support staff regardless (forced, audited), and every paid order of a cancelled event. A
/// refund is recorded as requested first, then sent to the PSP with an idempotency key of its own, so a PSP outage or a
/// crash leaves it requested and the worker finishes it; completing it voids the tickets, releases or voids the seats,
/// posts the reversing ledger entry and tells the reseller, in one transaction. A refund the PSP refuses for good (a 4xx)
/// is <c>failed</c> with the PSP's code and message (<c>refund.failed</c>); one it did not answer is sent again after a
/// growing wait (<see cref="RetryDelay"/>), and the worker takes due refunds only, so none blocks the others.
/// </summary>
public sealed partial class RefundService(
    NpgsqlDataSource db, InventoryCache cache, IPaymentGateway psp, TimeProvider time, ILogger<RefundService>? logger = null)
{
    /// <summary>Longest refund <c>reason</c> the payment service accepts (docs/payments.md §1), so the longest accepted here.</summary>
    public const int MaxReasonLength = 200;

    private readonly ILogger _log = (ILogger?)logger ?? NullLogger.Instance;
    private readonly RefundOutcomes _outcomes = new(db, cache, time);

    /// <summary>The wait before sending a refund again after the PSP did not answer its <paramref name="failedAttempts"/>th try: 5 s doubling, at most an hour.</summary>
    public static TimeSpan RetryDelay(int failedAttempts) => TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Clamp(failedAttempts, 1, 20) - 1)));

    /// <summary>The refusal of a refund or cancellation <paramref name="reason"/> the PSP would not accept, or null.</summary>
    public static InventoryError? CheckReason(string? reason) => reason is { Length: > MaxReasonLength }
        ? InventoryError.Validation(new Dictionary<string, string[]>
        {
            ["reason"] = [$"At most {MaxReasonLength} characters (the payment service's limit); {reason.Length} were given."],
        })
        : null;

    /// <summary>
    /// Requests the refund of an order and sends it to the PSP. <paramref name="customerRef"/> restricts it to that
    /// customer's orders; <paramref name="force"/> skips the event's refund policy (support staff). An order whose refund
    /// failed is refunded again (with this reason); one that is requested or done answers that refund.
    /// </summary>
    public async Task<Result<RefundView>> RequestAsync(Guid orderId, string? reason, string initiatedBy, string? customerRef, bool force, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(initiatedBy);
        if (CheckReason(reason) is { } refused)
        {
            return refused;
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

            var existing = await RefundRow.ByOrderAsync(conn, tx, orderId, ct);
            if (existing is { View.Status: not "failed" })
            {
                await tx.RollbackAsync(ct);
                // a requested refund is sent now unless it waits out a PSP outage (asking again does not skip the backoff)
                return existing.View is { Status: "requested", NextAttemptAt: { } next } && next <= now ? await ProcessAsync(existing.View.Id, ct) : existing.View;
            }

            if (order.Status != "confirmed")
            {
                return new InventoryError(ErrorCodes.RefundNotAllowed, $"Order '{orderId}' is {order.Status.Replace('_', ' ')}; it cannot be refunded.");
            }

            if (order.PaymentId is null)
            {
                return new InventoryError(ErrorCodes.RefundNotAllowed, $"Order '{orderId}' was not paid through the PSP; there is nothing to refund.");
            }

            if (!order.EventCancelled && await MovedOnAsync(conn, tx, orderId, ct) is { } moved)
            {
                return new InventoryError(ErrorCodes.RefundNotAllowed, moved);
            }

            if (!force && !order.EventCancelled && PolicyRefusal(order, now) is { } refusal)
            {
                return new InventoryError(ErrorCodes.RefundNotAllowed, refusal);
            }

            refundId = existing?.View.Id ?? Guid.CreateVersion7();
            var voided = order.EventCancelled || order.EventStartsAt <= now;
            // a failed refund is asked for again: the same row, requested anew under a new idempotency key
            await using var write = new NpgsqlCommand(existing is null
                ? """
                  INSERT INTO refunds (id, order_id, amount_minor, currency, reason, initiated_by, seat_disposition, status, created_at, next_attempt_at)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $8)
                  """
                : """
                  UPDATE refunds SET reason = $5, initiated_by = $6, seat_disposition = $7, status = 'requested', next_attempt_at = $8, attempts = 0,
                      last_error = NULL, failure_code = NULL, failed_at = NULL, resubmissions = resubmissions + 1
                  WHERE id = $1 AND order_id = $2 AND amount_minor = $3 AND currency = $4 AND status = 'failed'
                  """, conn, tx);
            foreach (var value in new object[] { refundId, orderId, order.Price.TotalMinor, order.Price.Currency,
                         string.IsNullOrWhiteSpace(reason) ? "requested_by_customer" : reason.Trim(), initiatedBy, voided ? "voided" : "released", now })
            {
                write.Parameters.Add(new() { Value = value });
            }

            await write.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        LogRequested(_log, refundId, orderId, initiatedBy, force);
        return await ProcessAsync(refundId, ct);
    }

    /// <summary>
    /// Why an order cannot be refunded because its tickets moved on, or null: a resale purchase is final (the seller was
    /// paid), and an order whose tickets were resold or transferred no longer holds them (refunding it would void a ticket
    /// someone else owns). Only an event's cancellation refunds those.
    /// </summary>
    private static async Task<string?> MovedOnAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT CASE WHEN (SELECT listing_id FROM orders WHERE id = $1) IS NOT NULL THEN 'a resale purchase is final'
                        WHEN EXISTS (SELECT 1 FROM tickets WHERE order_id = $1 AND status IN ('resold', 'transferred')) THEN 'some of its tickets were resold or transferred'
                        WHEN (SELECT payment_reference FROM orders WHERE id = $1) LIKE 'invoice:%' THEN 'it was paid by invoice (a group sale), so the money goes back by bank transfer, not through the payment service'
                   END
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = orderId });
        return await cmd.ExecuteScalarAsync(ct) is string why ? $"Order '{orderId}' cannot be refunded: {why}." : null;
    }

    /// <summary>
    /// Sends a requested refund to the PSP and completes it. A refusal for good marks it failed; a PSP that did not
    /// answer leaves it requested until <see cref="RetryDelay"/> has passed (answered as such).
    /// </summary>
    public async Task<Result<RefundView>> ProcessAsync(Guid refundId, CancellationToken ct)
    {
        RefundRow? refund;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            refund = await RefundRow.ByIdAsync(conn, null, refundId, ct);
        }

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
            done = await psp.RefundAsync(refund.IntentId, refund.View.Amount.MinorUnits, refund.View.Reason, refund.IdempotencyKey, ct);
        }
        catch (PaymentGatewayException ex) when (!ex.Transient && ex.StatusCode is not (401 or 403))
        {
            // refused for this refund (400, 404, 422): sending it again cannot help; the platform's own credentials being
            // refused (401, 403) is an outage of ours, waited out like one
            LogPspRefused(_log, refundId, ex.Message);
            return await _outcomes.FailAsync(refundId, ex.Code ?? "psp_refused", ex.Message, ct);
        }
        catch (PaymentGatewayException ex)
        {
            var next = time.GetUtcNow() + RetryDelay(refund.View.Attempts + 1);
            LogPspFailed(_log, refundId, ex.Message, next);
            // what the view shows: not the transport's words (addresses of the cell's services), only that it will try again
            return await _outcomes.PostponeAsync(refundId, ex.Code is { } code ? $"The payment service is unavailable ({code})." : "The payment service did not answer.", next, ct);
        }

        LogCompleted(_log, refundId, done.Id);
        return await _outcomes.CompleteAsync(refundId, done.Id, ct);
    }

    /// <summary>
    /// Sends up to <paramref name="batchSize"/> refunds that are due (requested, and past their next attempt's time),
    /// those due longest first; a refund the PSP refuses is failed and one it does not answer waits, so neither is taken
    /// again before the refunds behind it. The pass stops at the first refund the PSP does not answer (an outage costs
    /// one call per pass, not one per refund).
    /// </summary>
    public async Task<RefundBatch> ProcessPendingAsync(int batchSize, CancellationToken ct)
    {
        var ids = new List<Guid>();
        await using (var cmd = db.CreateCommand("""
            SELECT id FROM refunds WHERE status = 'requested' AND next_attempt_at <= $2 ORDER BY next_attempt_at, created_at LIMIT $1
            """))
        {
            cmd.Parameters.Add(new() { Value = batchSize });
            cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        var (succeeded, failed, postponed) = (0, 0, 0);
        foreach (var id in ids)
        {
            switch ((await ProcessAsync(id, ct)).Value?.Status)
            {
                case "succeeded": succeeded++; break;
                case "failed": failed++; break;
                case "requested": postponed++; break;
            }

            if (postponed > 0)
            {
                break;
            }
        }

        return new RefundBatch(ids.Count, succeeded, failed, postponed);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Refund {RefundId} of order {OrderId} requested by {InitiatedBy} (forced: {Forced})")]
    private static partial void LogRequested(ILogger logger, Guid refundId, Guid orderId, string initiatedBy, bool forced);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refund {RefundId} completed (PSP refund {PspRefundId})")]
    private static partial void LogCompleted(ILogger logger, Guid refundId, string pspRefundId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund {RefundId} not sent to the PSP, left requested until {Next}: {Error}")]
    private static partial void LogPspFailed(ILogger logger, Guid refundId, string error, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund {RefundId} refused by the PSP for good, failed: {Error}")]
    private static partial void LogPspRefused(ILogger logger, Guid refundId, string error);
}

/// <summary>
/// One pass of <see cref="RefundService.ProcessPendingAsync"/>: refunds taken (due), completed, refused for good, and
/// left waiting because the PSP did not answer (the pass stops there).
/// </summary>
public sealed record RefundBatch(int Due, int Succeeded, int Failed, int Postponed);
