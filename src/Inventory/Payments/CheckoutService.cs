using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Sales;

namespace TicketAspire.Inventory.Payments;

/// <summary>
/// Paying for a hold (docs/payments.md §2): a payment attempt fixes the price with its fees and opens a PSP intent; the
/// buyer confirms it at the PSP; confirming the hold asks the PSP (never the client) whether the money is captured and
/// only then sells the seats. A failed attempt extends the hold once; the last allowed one releases the seats.
/// </summary>
public sealed partial class CheckoutService(
    NpgsqlDataSource db, SaleService sales, InventoryCache cache, IPaymentGateway psp, FeePlan fees, PaymentOptions options,
    TimeProvider time, string reseller, ILogger<CheckoutService>? logger = null)
{
    private readonly ILogger _log = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Starts (or returns the open) payment attempt of a hold; null <paramref name="customerRef"/>: any customer.</summary>
    public async Task<Result<PaymentView>> StartAsync(Guid holdId, string? customerRef, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        PaymentRow payment;
        DateTimeOffset expiresAt;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var hold = await LockHoldAsync(conn, tx, holdId, ct);
            if (hold is null || (customerRef is not null && hold.CustomerRef != customerRef))
            {
                return InventoryError.NotFound(ErrorCodes.HoldNotFound, "Hold", holdId);
            }

            if (CheckPayable(hold, now) is { } refused)
            {
                return refused;
            }

            if (await PassPurchaseOfAsync(conn, tx, holdId, ct) is { } purchaseId)
            {
                return new InventoryError(ErrorCodes.HoldNotActive,
                    $"Hold '{holdId}' is part of pass purchase '{purchaseId}': the pass is paid as a whole (POST /v1/pass-purchases/{purchaseId}/payment).");
            }

            expiresAt = hold.ExpiresAt;
            var latest = await LatestPaymentAsync(conn, tx, holdId, ct);
            if (latest is { Status: "creating" or "requires_confirmation" or "processing" })
            {
                payment = latest;
            }
            else
            {
                var attempt = (latest?.Attempt ?? 0) + 1;
                if (attempt > options.MaxAttempts)
                {
                    return new InventoryError(ErrorCodes.PaymentAttemptsExhausted, $"Hold '{holdId}' had {options.MaxAttempts} failed payment attempts.");
                }

                var price = await QuoteAsync(conn, tx, holdId, hold.Currency, ct);
                if (price is null || price.TotalMinor > options.MaxAmountMinor)
                {
                    return new InventoryError(ErrorCodes.PaymentAmountTooLarge,
                        $"Hold '{holdId}' costs more than one payment may be ({options.MaxAmountMinor} minor units with fees and tax): hold fewer tickets.",
                        Extensions: new Dictionary<string, object?> { ["max_amount_minor"] = options.MaxAmountMinor, ["total_minor"] = price?.TotalMinor });
                }

                if (price.TotalMinor == 0)
                {
                    return new InventoryError(ErrorCodes.HoldNotActive, $"Hold '{holdId}' is free: confirm it without a payment.");
                }

                payment = new PaymentRow(Guid.CreateVersion7(), holdId, attempt, "creating", null, null, price);
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO payments (id, hold_id, attempt, status, subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor,
                                          total_minor, currency, created_at, updated_at)
                    VALUES ($1, $2, $3, 'creating', $4, $5, $6, $7, $8, $9, $10, $10)
                    """, conn, tx);
                foreach (var value in new object[] { payment.Id, holdId, (short)attempt, price.SubtotalMinor, price.PlatformFeeMinor,
                             price.ProcessingFeeMinor, price.TaxMinor, price.TotalMinor, price.Currency, now })
                {
                    insert.Parameters.Add(new() { Value = value });
                }

                await insert.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        if (payment.IntentId is null)
        {
            // the same key for the same attempt: a retry after a lost answer gets the intent created the first time
            PaymentIntent intent;
            try
            {
                intent = await psp.CreateIntentAsync(new CreatePaymentIntent(payment.Price.TotalMinor, payment.Price.Currency, $"Hold {holdId}",
                    new Dictionary<string, string>
                    {
                        ["reseller"] = reseller,
                        ["hold_id"] = holdId.ToString(),
                        ["payment_id"] = payment.Id.ToString(),
                        ["attempt"] = payment.Attempt.ToString(CultureInfo.InvariantCulture),
                    }), $"hold-{holdId}-attempt-{payment.Attempt}", ct);
            }
            catch (PaymentGatewayException ex)
            {
                LogPspUnavailable(_log, "create intent", holdId, ex.Message);
                return Unavailable(ex);
            }

            await using var update = db.CreateCommand("""
                UPDATE payments SET psp_intent_id = $2, client_secret = $3, status = 'requires_confirmation', updated_at = $4
                WHERE id = $1 AND status = 'creating'
                """);
            update.Parameters.Add(new() { Value = payment.Id });
            update.Parameters.Add(new() { Value = intent.Id });
            update.Parameters.Add(new() { Value = (object?)intent.ClientSecret ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            update.Parameters.Add(new() { Value = time.GetUtcNow() });
            await update.ExecuteNonQueryAsync(ct);
            payment = payment with { IntentId = intent.Id, ClientSecret = intent.ClientSecret, Status = "requires_confirmation" };
            LogIntentCreated(_log, intent.Id, holdId, payment.Attempt, payment.Price.TotalMinor, payment.Price.Currency);
        }

        return ToView(payment, expiresAt);
    }

    /// <summary>
    /// Confirms the hold if its payment is captured at the PSP; a confirmed hold answers its order again (safe retries).
    /// </summary>
    public async Task<Result<OrderView>> ConfirmAsync(Guid holdId, string? customerRef, CancellationToken ct)
    {
        PaymentRow? payment;
        HoldStatus status;
        DateTimeOffset expiresAt;
        int failures;
        bool free;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            // one snapshot for the hold and its latest payment: the PSP's failure webhook updates both in one transaction,
            // and reading them apart could pair a payment it marked failed with the failure count from before it
            await using var snapshot = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await using var read = new NpgsqlCommand("SELECT customer_ref, status, order_id, expires_at, payment_failures, total_minor FROM holds WHERE id = $1", conn, snapshot);
            read.Parameters.Add(new() { Value = holdId });
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct) || (customerRef is not null && reader.GetString(0) != customerRef))
                {
                    return InventoryError.NotFound(ErrorCodes.HoldNotFound, "Hold", holdId);
                }

                status = (HoldStatus)reader.GetInt16(1);
                if (status == HoldStatus.Confirmed)
                {
                    return await new OrderQueries(db).GetAsync(reader.GetGuid(2), ct);
                }

                expiresAt = reader.GetFieldValue<DateTimeOffset>(3);
                failures = reader.GetInt16(4);
                free = reader.GetInt64(5) == 0;
            }

            payment = await LatestPaymentAsync(conn, snapshot, holdId, ct);
            await snapshot.CommitAsync(ct);
        }

        if (free && payment is null && CheckPayable(new LockedHold(holdId, Guid.Empty, "", null, status, expiresAt, "", 0, false), time.GetUtcNow()) is null)
        {
            // free tickets: nothing to collect, no PSP involved, no journal entry
            return await sales.SellFreeAsync(holdId, ct);
        }

        if (payment is { Status: "failed" })
        {
            // the PSP's webhook recorded the decline before this call: the same answer as if this call had seen it
            return Declined(payment, payment.DeclineCode ?? "declined", failures,
                released: status == HoldStatus.Cancelled && failures >= options.MaxAttempts, expiresAt);
        }

        if (payment?.IntentId is null || payment.Status is "refunded")
        {
            // nothing that could still capture money: the hold's own state answers first
            return CheckPayable(new LockedHold(holdId, Guid.Empty, "", null, status, expiresAt, "", 0, false), time.GetUtcNow())
                ?? new InventoryError(ErrorCodes.PaymentRequired,
                    $"Hold '{holdId}' has no open payment: start one and confirm it at the PSP.");
        }

        PaymentIntent intent;
        try
        {
            intent = await psp.GetIntentAsync(payment.IntentId, ct);
        }
        catch (PaymentGatewayException ex)
        {
            LogPspUnavailable(_log, "retrieve intent", holdId, ex.Message);
            return Unavailable(ex);
        }

        return await ApplyAsync(payment, intent, ct);
    }

    /// <summary>
    /// Applies what the PSP says of one of this reseller's intents (a PSP webhook named it); idempotent. The event is only a
    /// hint: the intent is read again from the PSP, as confirming does, so a signed but forged body sells nothing.
    /// </summary>
    public async Task<Result<OrderView>> ApplyIntentAsync(string intentId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(intentId);
        PaymentRow? payment;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            payment = await PaymentByIntentAsync(conn, intentId, ct);
        }

        if (payment is null)
        {
            return new InventoryError(ErrorCodes.PaymentRequired, $"No payment of this reseller has PSP intent '{intentId}'.");
        }

        PaymentIntent intent;
        try
        {
            intent = await psp.GetIntentAsync(intentId, ct);
        }
        catch (PaymentGatewayException ex)
        {
            LogPspUnavailable(_log, "retrieve intent of a webhook", payment.HoldId, ex.Message);
            return Unavailable(ex);
        }

        return await ApplyAsync(payment, intent, ct);
    }

    private async Task<Result<OrderView>> ApplyAsync(PaymentRow payment, PaymentIntent intent, CancellationToken ct)
    {
        if (!intent.Metadata.TryGetValue("hold_id", out var holdText) || holdText != payment.HoldId.ToString()
            || !intent.Metadata.TryGetValue("reseller", out var owner) || owner != reseller
            || intent.Id != payment.IntentId || intent.Amount != payment.Price.TotalMinor || intent.Currency != payment.Price.Currency)
        {
            LogMismatch(_log, intent.Id, payment.HoldId, intent.Amount, payment.Price.TotalMinor);
            return new InventoryError(ErrorCodes.PaymentMismatch, $"PSP intent '{intent.Id}' is not the payment of hold '{payment.HoldId}' for {payment.Price.TotalMinor} {payment.Price.Currency}.");
        }

        if (intent.Succeeded)
        {
            return await FulfilAsync(payment, intent, ct);
        }

        if (intent.Processing)
        {
            await SetStatusAsync(payment.Id, "processing", ct);
            return new InventoryError(ErrorCodes.PaymentPending,
                $"The PSP is still processing payment '{payment.Id}'; the order is made as soon as it succeeds.",
                Extensions: new Dictionary<string, object?> { ["payment_id"] = payment.Id }, RetryAfterSeconds: 2);
        }

        if (intent.Declined || intent.Status == "canceled")
        {
            return await RecordFailureAsync(payment, intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code ?? intent.Status, ct);
        }

        return new InventoryError(ErrorCodes.PaymentNotConfirmed,
            $"Payment '{payment.Id}' is {intent.Status} at the PSP: the buyer has not confirmed it yet.",
            Extensions: new Dictionary<string, object?> { ["payment_id"] = payment.Id });
    }

    private async Task<Result<OrderView>> FulfilAsync(PaymentRow payment, PaymentIntent intent, CancellationToken ct)
    {
        var result = await sales.SellPaidAsync(payment.HoldId, new VerifiedPayment(payment.Id, intent.Id, payment.Price), ct);
        if (result.Value is { } order && order.PaymentReference == intent.Id)
        {
            LogFulfilled(_log, payment.HoldId, order.Id, intent.Id);
            return result;
        }

        // the money is captured but no ticket can be issued for it (the hold expired or was released, or another
        // payment confirmed it first): refund it at once, so nobody is charged without a ticket
        var why = result.Error?.Detail ?? $"hold '{payment.HoldId}' was already paid by '{result.Value!.PaymentReference}'";
        try
        {
            await psp.RefundAsync(intent.Id, intent.Amount - intent.AmountRefunded, "unfulfillable", $"unfulfilled-{payment.Id}", ct);
        }
        catch (PaymentGatewayException ex)
        {
            LogPspUnavailable(_log, "refund unfulfillable payment", payment.HoldId, ex.Message);
            return Unavailable(ex);
        }

        await SetStatusAsync(payment.Id, "refunded", ct);
        LogRefundedUnfulfillable(_log, intent.Id, payment.HoldId, why);
        return new InventoryError(result.Error?.Code ?? ErrorCodes.HoldNotActive, $"{why}; the payment of {intent.Amount} {intent.Currency} was refunded.");
    }

    private async Task<Result<OrderView>> RecordFailureAsync(PaymentRow payment, string declineCode, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        bool released, extended;
        int failures;
        DateTimeOffset expiresAt;
        Guid eventId;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var hold = await LockHoldAsync(conn, tx, payment.HoldId, ct)
                ?? throw new InvalidOperationException($"Payment '{payment.Id}' has no hold.");
            eventId = hold.EventId;
            await using (var mark = new NpgsqlCommand("""
                UPDATE payments SET status = 'failed', decline_code = $2, updated_at = $3 WHERE id = $1 AND status NOT IN ('failed', 'succeeded', 'refunded')
                """, conn, tx))
            {
                mark.Parameters.Add(new() { Value = payment.Id });
                mark.Parameters.Add(new() { Value = declineCode });
                mark.Parameters.Add(new() { Value = now });
                if (await mark.ExecuteNonQueryAsync(ct) == 0)
                {
                    // recorded before (the confirm call and the PSP's webhook both report it): same answer, no second count
                    await tx.RollbackAsync(ct);
                    return Declined(payment, declineCode, hold.PaymentFailures, hold.Status == HoldStatus.Cancelled && hold.PaymentFailures >= options.MaxAttempts, hold.ExpiresAt);
                }
            }

            failures = hold.PaymentFailures + 1;
            var live = hold.Status == HoldStatus.Active && hold.ExpiresAt > now;
            released = live && failures >= options.MaxAttempts;
            extended = live && !released && !hold.Extended;
            expiresAt = extended ? hold.ExpiresAt + options.FailureExtension : hold.ExpiresAt;
            var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["hold_id"] = payment.HoldId, ["payment_id"] = payment.Id, ["event_id"] = hold.EventId, ["attempt"] = payment.Attempt,
                ["attempts_left"] = Math.Max(0, options.MaxAttempts - failures), ["decline_code"] = declineCode, ["released"] = released,
                ["hold_expires_at"] = expiresAt, ["customer_ref"] = hold.CustomerRef, ["customer_email"] = hold.CustomerEmail,
            });
            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("UPDATE holds SET payment_failures = $2, expires_at = $3, extended = extended OR $4 WHERE id = $1",
                        payment.HoldId, (short)failures, expiresAt, extended),
                    EventCatalog.Command("UPDATE seats SET hold_expires_at = $2 WHERE hold_id = $1 AND status = 1 AND $3", payment.HoldId, expiresAt, extended),
                    EventCatalog.Command("UPDATE resale_listings SET hold_expires_at = $2 WHERE hold_id = $1 AND status = 'listed' AND $3", payment.HoldId, expiresAt, extended),
                    EventCatalog.Command("""
                        INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ('payment.failed', $1, $2, $3::jsonb, $4)
                        """, payment.Id, hold.EventId, payload, now),
                },
            };
            if (released)
            {
                batch.BatchCommands.Add(EventCatalog.Command("""
                    UPDATE seats SET status = 0, hold_id = NULL, hold_expires_at = NULL, version = version + 1 WHERE hold_id = $1 AND status = 1
                    """, payment.HoldId));
                batch.BatchCommands.Add(EventCatalog.Command("UPDATE holds SET status = 2, closed_at = $2 WHERE id = $1", payment.HoldId, now));
                batch.BatchCommands.Add(EventCatalog.Command(
                    "UPDATE resale_listings SET hold_id = NULL, hold_expires_at = NULL WHERE hold_id = $1 AND status = 'listed'", payment.HoldId));
            }

            await batch.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        if (released)
        {
            InventoryMetrics.HoldsCancelled.Add(1);
            await cache.InvalidateAvailabilityAsync(eventId);
        }

        LogDeclined(_log, payment.Id, payment.HoldId, declineCode, failures, released, extended);
        return Declined(payment, declineCode, failures, released, expiresAt);
    }

    private Result<OrderView> Declined(PaymentRow payment, string declineCode, int failures, bool released, DateTimeOffset expiresAt)
    {
        var left = Math.Max(0, options.MaxAttempts - failures);
        var detail = released
            ? $"The payment was declined ({declineCode}); that was the last of {options.MaxAttempts} attempts, and the seats were released."
            : $"The payment was declined ({declineCode}); {left} attempt(s) left before the seats are released. The hold now expires at {expiresAt:O}.";
        return new InventoryError(ErrorCodes.PaymentDeclined, detail, Extensions: new Dictionary<string, object?>
        {
            ["payment_id"] = payment.Id, ["decline_code"] = declineCode, ["attempts_left"] = left, ["released"] = released,
            ["hold_expires_at"] = expiresAt,
        });
    }

    private static InventoryError? CheckPayable(LockedHold hold, DateTimeOffset now) => hold.Status switch
    {
        HoldStatus.Confirmed => new InventoryError(ErrorCodes.HoldNotActive, $"Hold '{hold.Id}' is already paid and confirmed."),
        HoldStatus.Active when hold.ExpiresAt > now => null,
        HoldStatus.Active or HoldStatus.Expired => new InventoryError(ErrorCodes.HoldExpired, $"Hold '{hold.Id}' expired at {hold.ExpiresAt:O}; its seats were released."),
        _ => new InventoryError(ErrorCodes.HoldNotActive, $"Hold '{hold.Id}' is {hold.Status.ToString().ToLowerInvariant()}."),
    };

    /// <summary>The hold's price with fees and tax; null when it does not fit in 64 bits (prices from before they were bounded).</summary>
    private async Task<PriceBreakdown?> QuoteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid holdId, string currency, CancellationToken ct)
    {
        // the sum as numeric: items priced before prices were bounded could overflow a bigint
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*)::int, coalesce(sum(price_minor), 0)::numeric, (SELECT discount_minor FROM holds WHERE id = $1) FROM hold_items WHERE hold_id = $1
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = holdId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var subtotal = reader.GetDecimal(1);
        try
        {
            // the items' prices are after the voucher's discount: fees and tax are on what the buyer pays for the tickets
            return subtotal > long.MaxValue ? null
                : FeeCalculator.Quote(fees, (long)subtotal, reader.GetInt32(0), currency) with { DiscountMinor = reader.IsDBNull(2) ? 0 : reader.GetInt64(2) };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private async Task SetStatusAsync(Guid paymentId, string status, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE payments SET status = $2, updated_at = $3 WHERE id = $1 AND status NOT IN ('succeeded', 'failed', 'refunded')");
        cmd.Parameters.Add(new() { Value = paymentId });
        cmd.Parameters.Add(new() { Value = status });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        if (status == "refunded")
        {
            cmd.CommandText = "UPDATE payments SET status = $2, updated_at = $3 WHERE id = $1";
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static InventoryError Unavailable(PaymentGatewayException ex) => new(ErrorCodes.PaymentUnavailable,
        $"The payment service did not answer; nothing was charged twice, try again. ({ex.Message})", RetryAfterSeconds: 5);

    private PaymentView ToView(PaymentRow p, DateTimeOffset expiresAt) => new(
        p.Id, p.HoldId, p.Attempt, Math.Max(0, options.MaxAttempts - p.Attempt), p.Status, p.Price.ToOrderPrice(), expiresAt,
        new PspPayment(p.IntentId!, p.ClientSecret ?? "", psp.ConfirmUrl(p.IntentId!)));

    private const string PaymentColumns = """
        id, hold_id, attempt, status, psp_intent_id, client_secret, subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor, total_minor, currency,
        decline_code, (SELECT h.discount_minor FROM holds h WHERE h.id = payments.hold_id)
        """;

    private static async Task<Guid?> PassPurchaseOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid holdId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT purchase_id FROM pass_purchase_holds WHERE hold_id = $1", conn, tx);
        cmd.Parameters.Add(new() { Value = holdId });
        return await cmd.ExecuteScalarAsync(ct) as Guid?;
    }

    private static async Task<PaymentRow?> LatestPaymentAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid holdId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {PaymentColumns} FROM payments WHERE hold_id = $1 ORDER BY attempt DESC LIMIT 1", conn, tx);
        cmd.Parameters.Add(new() { Value = holdId });
        return await ReadPaymentAsync(cmd, ct);
    }

    private static async Task<PaymentRow?> PaymentByIntentAsync(NpgsqlConnection conn, string intentId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {PaymentColumns} FROM payments WHERE psp_intent_id = $1", conn);
        cmd.Parameters.Add(new() { Value = intentId });
        return await ReadPaymentAsync(cmd, ct);
    }

    private static async Task<PaymentRow?> ReadPaymentAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new PaymentRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt16(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
            new PriceBreakdown(reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetString(11),
                reader.IsDBNull(13) ? 0 : reader.GetInt64(13)),
            reader.IsDBNull(12) ? null : reader.GetString(12));
    }

    private static async Task<LockedHold?> LockHoldAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid holdId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT event_id, customer_ref, customer_email, status, expires_at, currency, payment_failures, extended FROM holds WHERE id = $1 FOR UPDATE
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = holdId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new LockedHold(holdId, reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            (HoldStatus)reader.GetInt16(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetInt16(6), reader.GetBoolean(7));
    }

    private sealed record PaymentRow(Guid Id, Guid HoldId, int Attempt, string Status, string? IntentId, string? ClientSecret, PriceBreakdown Price,
        string? DeclineCode = null);

    private sealed record LockedHold(Guid Id, Guid EventId, string CustomerRef, string? CustomerEmail, HoldStatus Status, DateTimeOffset ExpiresAt,
        string Currency, int PaymentFailures, bool Extended);

    [LoggerMessage(Level = LogLevel.Information, Message = "PSP intent {IntentId} created for hold {HoldId}, attempt {Attempt}: {Amount} {Currency}")]
    private static partial void LogIntentCreated(ILogger logger, string intentId, Guid holdId, int attempt, long amount, string currency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold {HoldId} paid and confirmed as order {OrderId} (PSP intent {IntentId})")]
    private static partial void LogFulfilled(ILogger logger, Guid holdId, Guid orderId, string intentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} of hold {HoldId} declined ({DeclineCode}); failures {Failures}, released {Released}, extended {Extended}")]
    private static partial void LogDeclined(ILogger logger, Guid paymentId, Guid holdId, string declineCode, int failures, bool released, bool extended);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP unavailable ({Operation}) for hold {HoldId}: {Error}")]
    private static partial void LogPspUnavailable(ILogger logger, string operation, Guid holdId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP intent {IntentId} does not match hold {HoldId}: amount {Amount}, expected {Expected}")]
    private static partial void LogMismatch(ILogger logger, string intentId, Guid holdId, long amount, long expected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP intent {IntentId} captured for hold {HoldId} but no ticket could be issued ({Why}); refunded")]
    private static partial void LogRefundedUnfulfillable(ILogger logger, string intentId, Guid holdId, string why);
}
