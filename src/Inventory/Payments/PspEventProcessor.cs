using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Payments;

/// <summary>
/// Applies a verified PSP event to one reseller's database: a payment event makes the intent be read again from the PSP
/// (the body is never trusted to sell anything), then a success confirms the hold, a failure counts as a failed attempt, a chargeback or an early fraud warning (possibly days after the sale) reverses or reserves the
/// reseller's money in the ledger and tells the reseller. Every effect is idempotent, so the PSP's retries are harmless.
/// </summary>
public sealed partial class PspEventProcessor(
    NpgsqlDataSource db, CheckoutService checkout, InventoryCache cache, TimeProvider time, ILogger<PspEventProcessor>? logger = null,
    Passes.PassService? passes = null)
{
    private readonly ILogger _log = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Applies the event; returns what was done (for the record).</summary>
    public async Task<string> ApplyAsync(PspWebhook evt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (await SeenAsync(evt.Id, ct))
        {
            return "duplicate";
        }

        var outcome = evt.Type switch
        {
            "payment_intent.succeeded" or "payment_intent.payment_failed" or "payment_intent.processing" => evt.IntentId is { Length: > 0 } intentId
                ? await ApplyIntentAsync(intentId, ct)
                : "no_intent",
            "charge.dispute.created" => await ChargebackAsync(evt, ct),
            "radar.early_fraud_warning.created" => await FraudFlagAsync(evt, ct),
            "charge.refunded" => "noted",
            _ => "ignored",
        };

        if (outcome == Model.ErrorCodes.PaymentUnavailable)
        {
            // not applied: the PSP could not be asked; unrecorded, so the PSP's next delivery of the event is applied
            LogApplied(_log, evt.Id, evt.Type, evt.IntentId, outcome);
            return outcome;
        }

        await using var record = db.CreateCommand("""
            INSERT INTO psp_events (id, type, intent_id, received_at, outcome) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING
            """);
        record.Parameters.Add(new() { Value = evt.Id });
        record.Parameters.Add(new() { Value = evt.Type });
        record.Parameters.Add(new() { Value = (object?)evt.IntentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        record.Parameters.Add(new() { Value = time.GetUtcNow() });
        record.Parameters.Add(new() { Value = outcome });
        await record.ExecuteNonQueryAsync(ct);
        LogApplied(_log, evt.Id, evt.Type, evt.IntentId, outcome);
        return outcome;
    }

    /// <summary>A hold's intent is applied by the checkout; a pass purchase's intent confirms the purchase (never both).</summary>
    private async Task<string> ApplyIntentAsync(string intentId, CancellationToken ct) =>
        passes is not null && await passes.PurchaseOfIntentAsync(intentId, ct) is { } purchaseId
            ? Describe(await passes.ConfirmAsync(purchaseId, null, ct)) switch { "applied" => "pass_purchase_paid", var other => other }
            : Describe(await checkout.ApplyIntentAsync(intentId, ct));

    private static string Describe<T>(Model.Result<T> result) => result.Error is { } error ? error.Code : "applied";

    private async Task<bool> SeenAsync(string id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM psp_events WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    private async Task<string> ChargebackAsync(PspWebhook evt, CancellationToken ct)
    {
        var fee = (long?)evt.Data["fee"] ?? 0;
        return await WithOrderAsync(evt, async (conn, tx, order, now) =>
        {
            if (order.Status != "confirmed")
            {
                return $"order_{order.Status}";
            }

            var release = order.EventStartsAt > now && !order.EventCancelled;
            var classes = await OrderLedger.ClassAmountsAsync(conn, tx, order.Id, ct);
            await using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(EventCatalog.Command("UPDATE orders SET status = 'charged_back' WHERE id = $1", order.Id));
            foreach (var command in OrderLedger.SettleSeats(order.Id, order.EventId, release))
            {
                batch.BatchCommands.Add(command);
            }

            batch.BatchCommands.Add(Outbox("payment.chargeback", order, now, new Dictionary<string, object?>
            {
                ["dispute_id"] = (string?)evt.Data["id"], ["amount"] = (long?)evt.Data["amount"] ?? order.Price.TotalMinor, ["fee"] = fee,
                ["reason"] = (string?)evt.Data["reason"], ["seat_disposition"] = release ? "released" : "voided",
            }));
            await batch.ExecuteNonQueryAsync(ct);
            await Ledger.Ledger.PostAsync(conn, tx, Ledger.Postings.Chargeback(evt.Id, order.Id, order.EventId, classes, order.Price, fee, order.FraudFlagged, now,
                order.ResaleSellerShare), ct);
            return "charged_back";
        }, ct);
    }

    private async Task<string> FraudFlagAsync(PspWebhook evt, CancellationToken ct) =>
        await WithOrderAsync(evt, async (conn, tx, order, now) =>
        {
            if (order.FraudFlagged || order.Status != "confirmed")
            {
                return order.FraudFlagged ? "already_flagged" : $"order_{order.Status}";
            }

            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("UPDATE orders SET fraud_flagged = true WHERE id = $1", order.Id),
                    Outbox("payment.fraud_flagged", order, now, new Dictionary<string, object?>
                    {
                        ["warning_id"] = (string?)evt.Data["id"], ["fraud_type"] = (string?)evt.Data["fraud_type"],
                        ["reserved"] = order.ResaleSellerShare is null ? order.Price.SubtotalMinor : 0,
                    }),
                },
            };
            await batch.ExecuteNonQueryAsync(ct);
            // a resale purchase's money is the seller's and the platform's, never on the reseller's accounts: flagged, nothing reserved
            if (order.ResaleSellerShare is null)
            {
                await Ledger.Ledger.PostAsync(conn, tx, Ledger.Postings.FraudReserve(evt.Id, order.Id, order.EventId, order.Price.SubtotalMinor, order.Price.Currency, now), ct);
            }

            return "fraud_flagged";
        }, ct);

    private async Task<string> WithOrderAsync(PspWebhook evt, Func<NpgsqlConnection, NpgsqlTransaction, LockedOrder, DateTimeOffset, Task<string>> apply, CancellationToken ct)
    {
        if (evt.IntentId is not { } intentId)
        {
            return "no_intent";
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        Guid orderId;
        await using (var find = new NpgsqlCommand("SELECT id FROM orders WHERE payment_reference = $1 AND payment_id IS NOT NULL", conn, tx))
        {
            find.Parameters.Add(new() { Value = intentId });
            if (await find.ExecuteScalarAsync(ct) is not Guid id)
            {
                return "no_order";
            }

            orderId = id;
        }

        var order = (await OrderLedger.LockAsync(conn, tx, orderId, ct))!;
        var outcome = await apply(conn, tx, order, time.GetUtcNow());
        await tx.CommitAsync(ct);
        await cache.InvalidateAvailabilityAsync(order.EventId);
        return outcome;
    }

    private static NpgsqlBatchCommand Outbox(string topic, LockedOrder order, DateTimeOffset now, Dictionary<string, object?> extra)
    {
        var payload = new Dictionary<string, object?>
        {
            ["order_id"] = order.Id, ["payment_id"] = order.PaymentId, ["payment_reference"] = order.IntentId, ["event_id"] = order.EventId,
            ["customer_ref"] = order.CustomerRef, ["customer_email"] = order.CustomerEmail, ["currency"] = order.Price.Currency,
        };
        foreach (var (key, value) in extra)
        {
            payload[key] = value;
        }

        return EventCatalog.Command("INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)",
            topic, order.Id, order.EventId, JsonSerializer.Serialize(payload), now);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PSP event {EventId} ({Type}, intent {IntentId}): {Outcome}")]
    private static partial void LogApplied(ILogger logger, string eventId, string type, string? intentId, string outcome);
}
