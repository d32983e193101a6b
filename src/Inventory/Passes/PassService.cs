using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Sales;

namespace TicketAspire.Inventory.Passes;

/// <summary>
/// Passes, for one reseller database: a pass is a set of events sold for one price. Buying a season pass
/// holds the seat with the buyer's label in every event of the pass, one hold per event, claimed together in one
/// transaction (<see cref="SeatClaim.RunAsync(NpgsqlConnection, NpgsqlTransaction?, IReadOnlyList{SeatClaim}, CancellationToken)"/>):
/// all or nothing, so a pass never holds the seat in some events only. One payment covers the pass (a PSP intent for the
/// price with its fees); confirming asks the PSP (never the client) whether it is captured, then sells every hold in one
/// transaction (<see cref="SaleService"/>): an order per event with its share of the price, each order with a payment row
/// of that share whose reference is the pass's intent, so the ledger sums to what was paid. Money captured for a purchase
/// that can no longer be sold (its holds lapsed) is refunded at once. A flex pass is paid the same way but holds nothing:
/// its credits are redeemed later (<see cref="RedeemAsync"/>), one ticket of one event each, claimed and sold at once.
/// </summary>
public sealed partial class PassService(
    NpgsqlDataSource db, InventoryCache cache, SaleService sales, IPaymentGateway psp, FeePlan fees, PaymentOptions payments, HoldOptions holds,
    TimeProvider time, string reseller, ILogger<PassService>? logger = null)
{
    /// <summary>The metadata key of a pass purchase's PSP intent (a hold's intent has <c>hold_id</c> instead).</summary>
    public const string IntentMetadataKey = "pass_purchase_id";

    public const int MinEvents = 2;
    public const int MaxEvents = 52;

    private const int MaxLabelLength = 100;
    private readonly ILogger _log = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Defines a pass over existing, not cancelled events of one currency.</summary>
    public async Task<Result<PassView>> CreateAsync(CreatePassCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(cmd.Name) || cmd.Name.Trim().Length > 200)
        {
            errors["name"] = ["The pass's name: 1 to 200 characters."];
        }

        if (cmd.Kind is not ("season" or "flex"))
        {
            errors["kind"] = ["season (the same seat in every event) or flex (credits for events chosen later)."];
        }

        if (cmd.EventIds is not { Count: >= MinEvents and <= MaxEvents } ids)
        {
            errors["event_ids"] = [$"{MinEvents} to {MaxEvents} events."];
        }
        else if (ids.Distinct().Count() != ids.Count)
        {
            errors["event_ids"] = ["An event is listed twice."];
        }

        if (cmd.PriceMinor is not { } price || price < (cmd.EventIds?.Count ?? 1) || price > payments.MaxAmountMinor)
        {
            errors["price_minor"] = [$"The pass's ticket price in minor units (before fees and tax): at least 1 per event, at most {payments.MaxAmountMinor}."];
        }

        if (cmd.Kind == "season" && cmd.Credits is not null)
        {
            errors["credits"] = ["Only for flex passes: a season pass is every event."];
        }
        else if (cmd.Kind == "flex" && (cmd.Credits is not { } credits || credits < 1 || credits > (cmd.EventIds?.Count ?? 0)))
        {
            errors["credits"] = ["How many of the pass's events the holder chooses: 1 to the number of events."];
        }

        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var eventIds = cmd.EventIds!.ToArray();
        string? currency = null;
        await using (var read = db.CreateCommand("""
            SELECT w.id, e.id IS NOT NULL, e.seating, e.currency, e.status = 1
            FROM unnest($1::uuid[]) AS w (id) LEFT JOIN events e ON e.id = w.id ORDER BY w.id
            """))
        {
            read.Parameters.Add(new() { Value = eventIds });
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetGuid(0);
                if (!reader.GetBoolean(1))
                {
                    return Invalid("event_ids", $"Event '{id}' does not exist.");
                }

                if (cmd.Kind == "season" && (SeatingKind)reader.GetInt16(2) != SeatingKind.Reserved)
                {
                    return Invalid("event_ids", $"Event '{id}' is general admission: a season pass is a seat, so every event has reserved seating.");
                }

                if (reader.GetBoolean(4))
                {
                    return new InventoryError(ErrorCodes.EventCancelled, $"Event '{id}' was cancelled.");
                }

                var c = reader.GetString(3);
                if (currency is not null && c != currency)
                {
                    return Invalid("event_ids", "Every event of a pass sells in one currency.");
                }

                currency = c;
            }
        }

        var passId = Guid.CreateVersion7();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                EventCatalog.Command("INSERT INTO passes (id, name, kind, price_minor, currency, credits, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    passId, cmd.Name!.Trim(), cmd.Kind!, cmd.PriceMinor!.Value, currency!, (object?)cmd.Credits ?? DBNull.Value, time.GetUtcNow()),
                EventCatalog.Command("INSERT INTO pass_events (pass_id, event_id) SELECT $1, unnest($2::uuid[])", passId, eventIds),
            },
        })
        {
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return (await GetAsync(passId, ct)).Value!;
    }

    /// <summary>A pass with its events.</summary>
    public async Task<Result<PassView>> GetAsync(Guid passId, CancellationToken ct)
    {
        var found = await ReadPassesAsync("p.id = $1", [passId], ct);
        return found.Count == 0 ? InventoryError.NotFound(ErrorCodes.PassNotFound, "Pass", passId) : found[0];
    }

    /// <summary>The passes on sale, newest first (at most 500).</summary>
    public async Task<PassList> ListAsync(CancellationToken ct) => new(await ReadPassesAsync("p.on_sale", [], ct));

    /// <summary>
    /// Holds the seat labelled <paramref name="cmd"/> in every event of season pass <paramref name="passId"/>, all or
    /// nothing, for <see cref="HoldOptions.DefaultExpireSeconds"/>; then the purchase waits for its payment.
    /// </summary>
    public async Task<Result<PassPurchaseView>> PurchaseAsync(Guid passId, CreatePassPurchaseCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var errors = new Dictionary<string, string[]>();
        var customerRef = cmd.CustomerRef?.Trim();
        if (string.IsNullOrEmpty(customerRef) || customerRef.Length > 200)
        {
            errors["customer_ref"] = ["The buyer's customer reference: 1 to 200 characters."];
        }

        if (cmd.CustomerEmail is { } mail && !HoldService.IsPlausibleEmail(mail.Trim()))
        {
            errors["customer_email"] = ["An e-mail address, at most 254 characters."];
        }

        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var pass = await ReadPassRowAsync(passId, ct);
        if (pass is null)
        {
            return InventoryError.NotFound(ErrorCodes.PassNotFound, "Pass", passId);
        }

        if (!pass.Value.OnSale)
        {
            return new InventoryError(ErrorCodes.PassNotOnSale, $"Pass '{passId}' is not on sale.");
        }

        if (pass.Value.Kind == "flex")
        {
            return await PurchaseFlexAsync(passId, pass.Value.PriceMinor, pass.Value.Currency, pass.Value.Credits!.Value, customerRef!, NullIfBlank(cmd.CustomerEmail), ct);
        }

        foreach (var (field, value, required) in new[] { ("section", cmd.Section, false), ("row", cmd.Row, true), ("number", cmd.Number, true) })
        {
            if ((required && string.IsNullOrWhiteSpace(value)) || value is { Length: > MaxLabelLength })
            {
                errors[field] = [$"The seat's {field} as on the seat map: {(required ? 1 : 0)} to {MaxLabelLength} characters."];
            }
        }

        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var (section, row, number) = (NullIfBlank(cmd.Section), cmd.Row!.Trim(), cmd.Number!.Trim());
        var seats = new List<(Guid EventId, Guid? SeatId, bool Cancelled)>();
        await using (var read = db.CreateCommand("""
            SELECT pe.event_id, s.id, e.status = 1
            FROM pass_events pe JOIN events e ON e.id = pe.event_id
                 LEFT JOIN seats s ON s.event_id = pe.event_id AND s.section IS NOT DISTINCT FROM $2 AND s.row_label = $3 AND s.number = $4
            WHERE pe.pass_id = $1 ORDER BY pe.event_id
            """))
        {
            read.Parameters.Add(new() { Value = passId });
            read.Parameters.Add(new() { Value = (object?)section ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            read.Parameters.Add(new() { Value = row });
            read.Parameters.Add(new() { Value = number });
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                seats.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetBoolean(2)));
            }
        }

        if (seats.FirstOrDefault(s => s.Cancelled) is { Cancelled: true } cancelled)
        {
            return new InventoryError(ErrorCodes.EventCancelled, $"Event '{cancelled.EventId}' of the pass was cancelled.");
        }

        if (seats.Where(s => s.SeatId is null).Select(s => s.EventId).ToList() is { Count: > 0 } missing)
        {
            return Invalid("number", $"No seat {section} {row} {number} in event(s) {string.Join(", ", missing)} of this pass.");
        }

        var now = time.GetUtcNow();
        var expiresAt = now.AddSeconds(holds.DefaultExpireSeconds);
        var email = NullIfBlank(cmd.CustomerEmail);
        var price = FeeCalculator.Quote(fees, pass.Value.PriceMinor, seats.Count, pass.Value.Currency);
        var shares = Allocate(price, seats.Count);
        var purchaseId = Guid.CreateVersion7();
        var claims = seats.Select(s => new SeatClaim(SeatingKind.Reserved, s.EventId, [s.SeatId!.Value], [], [], now, Guid.CreateVersion7(), expiresAt,
            customerRef!, email, pass.Value.Currency, holds.MaxTicketsPerCustomerPerEvent, AdmissionTokenId: null)).ToList();

        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var outcomes = await SeatClaim.RunAsync(conn, tx, claims, ct);
            var failed = claims.Zip(outcomes).Where(x => x.Second.Seats.Count == 0).ToList();
            if (failed.Count > 0)
            {
                await tx.RollbackAsync(ct);
                var events = failed.Select(f => f.First.EventId).ToList();
                var limit = failed.Where(f => f.Second.Already is not null).Select(f => f.First.EventId).ToList();
                return limit.Count > 0 && limit.Count == failed.Count
                    ? new InventoryError(ErrorCodes.PurchaseLimitExceeded,
                        $"The buyer holds or bought {holds.MaxTicketsPerCustomerPerEvent} tickets already in event(s) {string.Join(", ", limit)}; nothing was held.",
                        Extensions: new Dictionary<string, object?> { ["event_ids"] = limit })
                    : new InventoryError(ErrorCodes.SeatUnavailable,
                        $"Seat {section} {row} {number} is not available in {events.Count} of {claims.Count} events ({string.Join(", ", events)}); nothing was held.",
                        UnavailableSeatIds: [.. failed.Select(f => f.First.Ids[0])],
                        Extensions: new Dictionary<string, object?> { ["event_ids"] = events });
            }

            await using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(EventCatalog.Command("""
                INSERT INTO pass_purchases (id, pass_id, customer_ref, customer_email, expires_at, section, row_label, number, subtotal_minor,
                                            platform_fee_minor, processing_fee_minor, tax_minor, total_minor, currency, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                """, purchaseId, passId, customerRef!, (object?)email ?? DBNull.Value, expiresAt, (object?)section ?? DBNull.Value, row, number,
                price.SubtotalMinor, price.PlatformFeeMinor, price.ProcessingFeeMinor, price.TaxMinor, price.TotalMinor, price.Currency, now));
            for (var i = 0; i < claims.Count; i++)
            {
                // the hold's price is the event's share of the pass: its ticket, its order and its ledger entry use it
                batch.BatchCommands.Add(EventCatalog.Command("INSERT INTO pass_purchase_holds (purchase_id, event_id, hold_id, seat_id) VALUES ($1, $2, $3, $4)",
                    purchaseId, claims[i].EventId, claims[i].HoldId, claims[i].Ids[0]));
                batch.BatchCommands.Add(EventCatalog.Command("UPDATE hold_items SET price_minor = $2 WHERE hold_id = $1", claims[i].HoldId, shares[i].SubtotalMinor));
                batch.BatchCommands.Add(EventCatalog.Command("UPDATE holds SET total_minor = $2 WHERE id = $1", claims[i].HoldId, shares[i].SubtotalMinor));
            }

            await batch.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        InventoryMetrics.HoldsCreated.Add(claims.Count);
        foreach (var claim in claims)
        {
            await cache.InvalidateAvailabilityAsync(claim.EventId);
        }

        return (await GetPurchaseAsync(purchaseId, null, ct)).Value!;
    }

    /// <summary>A purchase, its status as of now; null <paramref name="customerRef"/>: any customer's.</summary>
    public async Task<Result<PassPurchaseView>> GetPurchaseAsync(Guid purchaseId, string? customerRef, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var cmd = db.CreateCommand("""
            SELECT p.id, p.pass_id, p.customer_ref, p.customer_email, p.status, p.expires_at, p.section, p.row_label, p.number,
                   p.subtotal_minor, p.platform_fee_minor, p.processing_fee_minor, p.tax_minor, p.total_minor, p.currency, p.psp_intent_id,
                   p.created_at, p.paid_at,
                   coalesce((SELECT jsonb_agg(jsonb_build_array(h.event_id, h.hold_id, h.seat_id, i.price_minor, h.order_id) ORDER BY h.event_id)
                             FROM pass_purchase_holds h JOIN hold_items i ON i.hold_id = h.hold_id WHERE h.purchase_id = p.id), '[]')::text,
                   s.kind, p.credits_left,
                   coalesce((SELECT jsonb_agg(jsonb_build_array(r.event_id, r.order_id, o.total_minor, r.created_at) ORDER BY r.created_at, r.event_id)
                             FROM pass_redemptions r JOIN orders o ON o.id = r.order_id WHERE r.purchase_id = p.id), '[]')::text
            FROM pass_purchases p JOIN passes s ON s.id = p.pass_id WHERE p.id = $1
            """);
        cmd.Parameters.Add(new() { Value = purchaseId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || (customerRef is not null && reader.GetString(2) != customerRef))
        {
            return InventoryError.NotFound(ErrorCodes.PassPurchaseNotFound, "Pass purchase", purchaseId);
        }

        var status = reader.GetString(4);
        var expiresAt = reader.GetFieldValue<DateTimeOffset>(5);
        if (status == "held" && expiresAt <= now)
        {
            status = "expired";
        }

        var currency = reader.GetString(14);
        var events = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement[][]>(reader.GetString(18))!
            .Select(e => new PassPurchaseEvent(e[0].GetGuid(), e[1].GetGuid(), e[2].GetGuid(), new Money(e[3].GetInt64(), currency),
                e[4].ValueKind == System.Text.Json.JsonValueKind.Null ? null : e[4].GetGuid()))
            .ToList();
        var price = new PriceBreakdown(reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), currency);
        var kind = reader.GetString(19);
        int? creditsLeft = reader.IsDBNull(20) ? null : reader.GetInt32(20);
        var redeemed = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement[][]>(reader.GetString(21))!;
        var redemptions = redeemed.Select((r, i) => new PassRedemptionView(r[0].GetGuid(), r[1].GetGuid(), new Money(r[2].GetInt64(), currency),
            r[3].GetDateTimeOffset(), (creditsLeft ?? 0) + redeemed.Length - i - 1)).ToList();
        return new PassPurchaseView(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), status,
            expiresAt, kind == "season" ? new PassSeat(reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.GetString(8)) : null,
            price.ToOrderPrice(), events, reader.IsDBNull(15) ? null : reader.GetString(15), reader.GetFieldValue<DateTimeOffset>(16),
            reader.IsDBNull(17) ? null : reader.GetFieldValue<DateTimeOffset>(17), kind, creditsLeft, kind == "flex" ? redemptions : null);
    }

    /// <summary>Starts (or returns the open) payment of a held purchase: one PSP intent for the pass's price with its fees.</summary>
    public async Task<Result<PassPaymentView>> StartPaymentAsync(Guid purchaseId, string? customerRef, CancellationToken ct)
    {
        var found = await GetPurchaseAsync(purchaseId, customerRef, ct);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var purchase = found.Value!;
        if (purchase.Status != "held")
        {
            return Closed(purchaseId, purchase.Status == "expired" ? $"it was not paid by {purchase.ExpiresAt:O} and its seats were released" : $"it is {purchase.Status}");
        }

        string intentId;
        string? secret;
        await using (var read = db.CreateCommand("SELECT psp_intent_id, client_secret FROM pass_purchases WHERE id = $1"))
        {
            read.Parameters.Add(new() { Value = purchaseId });
            await using var reader = await read.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (intentId, secret) = (reader.IsDBNull(0) ? "" : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }

        if (intentId.Length == 0)
        {
            PaymentIntent intent;
            try
            {
                // one key per purchase: concurrent or retried starts get the one intent
                intent = await psp.CreateIntentAsync(new CreatePaymentIntent(purchase.Price.Total.MinorUnits, purchase.Price.Total.Currency,
                    $"Pass purchase {purchaseId}", new Dictionary<string, string>
                    {
                        ["reseller"] = reseller,
                        [IntentMetadataKey] = purchaseId.ToString(),
                        ["pass_id"] = purchase.PassId.ToString(),
                    }), $"pass-purchase-{purchaseId}", ct);
            }
            catch (PaymentGatewayException ex)
            {
                LogPspUnavailable(_log, "create intent", purchaseId, ex.Message);
                return Unavailable(ex);
            }

            await using var keep = db.CreateCommand("UPDATE pass_purchases SET psp_intent_id = $2, client_secret = $3 WHERE id = $1 AND psp_intent_id IS NULL");
            keep.Parameters.Add(new() { Value = purchaseId });
            keep.Parameters.Add(new() { Value = intent.Id });
            keep.Parameters.Add(new() { Value = (object?)intent.ClientSecret ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await keep.ExecuteNonQueryAsync(ct);
            (intentId, secret) = (intent.Id, intent.ClientSecret);
        }

        return new PassPaymentView(purchaseId, "requires_confirmation", purchase.Price, purchase.ExpiresAt,
            new PspPayment(intentId, secret ?? "", psp.ConfirmUrl(intentId)));
    }

    /// <summary>
    /// Sells every event of the purchase once the PSP reports its payment captured, in one transaction: an order per event.
    /// A paid purchase answers again (safe retries); money captured for a purchase that cannot be sold any more is refunded.
    /// </summary>
    public async Task<Result<PassPurchaseView>> ConfirmAsync(Guid purchaseId, string? customerRef, CancellationToken ct)
    {
        var found = await GetPurchaseAsync(purchaseId, customerRef, ct);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var purchase = found.Value!;
        if (purchase.Status is "paid" or "cancelled")
        {
            return purchase.Status == "paid" ? purchase : Closed(purchaseId, "it was cancelled and its payment refunded");
        }

        if (purchase.PaymentIntentId is not { } intentId)
        {
            return purchase.Status == "expired"
                ? Closed(purchaseId, $"it was not paid by {purchase.ExpiresAt:O} and its seats were released")
                : new InventoryError(ErrorCodes.PaymentRequired, $"Pass purchase '{purchaseId}' has no payment: start one with POST /v1/pass-purchases/{purchaseId}/payment.");
        }

        PaymentIntent intent;
        try
        {
            intent = await psp.GetIntentAsync(intentId, ct);
        }
        catch (PaymentGatewayException ex)
        {
            LogPspUnavailable(_log, "retrieve intent", purchaseId, ex.Message);
            return Unavailable(ex);
        }

        if (!intent.Metadata.TryGetValue(IntentMetadataKey, out var owner) || owner != purchaseId.ToString()
            || !intent.Metadata.TryGetValue("reseller", out var tenant) || tenant != reseller
            || intent.Amount != purchase.Price.Total.MinorUnits || intent.Currency != purchase.Price.Total.Currency)
        {
            return new InventoryError(ErrorCodes.PaymentMismatch, $"PSP intent '{intent.Id}' is not the payment of pass purchase '{purchaseId}'.");
        }

        if (intent.Processing)
        {
            return new InventoryError(ErrorCodes.PaymentPending, $"The PSP is still processing the payment of pass purchase '{purchaseId}'; confirm again shortly.",
                RetryAfterSeconds: 2);
        }

        if (intent.Declined)
        {
            return new InventoryError(ErrorCodes.PaymentDeclined,
                $"The payment was declined ({intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code ?? "declined"}); pay again at the PSP before {purchase.ExpiresAt:O}.");
        }

        if (!intent.Succeeded)
        {
            return new InventoryError(ErrorCodes.PaymentNotConfirmed, $"The payment of pass purchase '{purchaseId}' is {intent.Status} at the PSP: the buyer has not confirmed it yet.");
        }

        var sold = await SellAsync(purchaseId, intent, ct);
        if (sold.Error is not { } refused)
        {
            return await GetPurchaseAsync(purchaseId, null, ct);
        }

        // captured, but the seats cannot all be sold (a hold lapsed): refund, release what is still held, close the purchase
        try
        {
            await psp.RefundAsync(intent.Id, intent.Amount - intent.AmountRefunded, "unfulfillable", $"unfulfilled-pass-{purchaseId}", ct);
        }
        catch (PaymentGatewayException ex)
        {
            LogPspUnavailable(_log, "refund unfulfillable pass purchase", purchaseId, ex.Message);
            return Unavailable(ex);
        }

        await CloseUnsoldAsync(purchaseId, ct);
        LogRefunded(_log, intent.Id, purchaseId, refused.Detail);
        return new InventoryError(refused.Code is ErrorCodes.HoldExpired or ErrorCodes.HoldNotActive ? ErrorCodes.PassPurchaseClosed : refused.Code,
            $"Pass purchase '{purchaseId}' cannot be sold any more ({refused.Detail}); the payment of {intent.Amount} {intent.Currency} was refunded.");
    }

    /// <summary>
    /// Redeems one credit of paid flex purchase <paramref name="purchaseId"/> for one ticket of an event of its pass: the
    /// claim and the sale run in one transaction with the purchase's row locked, so concurrent redemptions of one purchase
    /// take turns and never redeem more credits than it has, nor one event twice. The ticket's order is the credit's share
    /// of the price (the shares of all credits sum to the price); no second payment.
    /// </summary>
    public async Task<Result<PassRedemptionView>> RedeemAsync(Guid purchaseId, RedeemPassCommand cmd, string? customerRef, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.EventId is null)
        {
            return Invalid("event_id", "The event of the pass to redeem a credit for.");
        }

        if ((cmd.ClassId is null) == (cmd.SeatId is null))
        {
            return Invalid("class_id", "Give either class_id (general admission) or seat_id (reserved seating).");
        }

        var eventId = cmd.EventId.Value;
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            string owner, status, currency, intentId;
            string? email;
            int credits, creditsLeft;
            PriceBreakdown price;
            await using (var read = new NpgsqlCommand("""
                SELECT p.customer_ref, p.customer_email, p.status, p.credits_left, s.credits, p.subtotal_minor, p.platform_fee_minor, p.processing_fee_minor,
                       p.tax_minor, p.total_minor, p.currency, coalesce(p.psp_intent_id, '')
                FROM pass_purchases p JOIN passes s ON s.id = p.pass_id WHERE p.id = $1 FOR UPDATE OF p
                """, conn, tx))
            {
                read.Parameters.Add(new() { Value = purchaseId });
                await using var reader = await read.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct) || (customerRef is not null && reader.GetString(0) != customerRef))
                {
                    return InventoryError.NotFound(ErrorCodes.PassPurchaseNotFound, "Pass purchase", purchaseId);
                }

                (owner, email, status) = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
                if (reader.IsDBNull(4))
                {
                    return Refused(purchaseId, "it is a season pass: its tickets were issued when it was paid");
                }

                credits = reader.GetInt32(4);
                creditsLeft = reader.IsDBNull(3) ? 0 : reader.GetInt32(3);
                price = new PriceBreakdown(reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetString(10));
                currency = reader.GetString(10);
                intentId = reader.GetString(11);
            }

            if (status != "paid")
            {
                return Refused(purchaseId, "it is not paid");
            }

            if (creditsLeft == 0)
            {
                return Refused(purchaseId, $"all {credits} credits were redeemed");
            }

            SeatingKind seating;
            await using (var check = new NpgsqlCommand("""
                SELECT e.seating, e.status = 1, EXISTS (SELECT 1 FROM pass_redemptions r WHERE r.purchase_id = $1 AND r.event_id = $2)
                FROM pass_purchases p JOIN pass_events pe ON pe.pass_id = p.pass_id AND pe.event_id = $2 JOIN events e ON e.id = pe.event_id
                WHERE p.id = $1
                """, conn, tx))
            {
                check.Parameters.Add(new() { Value = purchaseId });
                check.Parameters.Add(new() { Value = eventId });
                await using var reader = await check.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return Invalid("event_id", $"Event '{eventId}' is not an event of this pass.");
                }

                seating = (SeatingKind)reader.GetInt16(0);
                if (reader.GetBoolean(1))
                {
                    return new InventoryError(ErrorCodes.EventCancelled, $"Event '{eventId}' was cancelled.");
                }

                if (reader.GetBoolean(2))
                {
                    return Refused(purchaseId, $"a credit was redeemed for event '{eventId}' already (one ticket per event)");
                }
            }

            if (seating == SeatingKind.Reserved && cmd.SeatId is null)
            {
                return Invalid("seat_id", "This event has reserved seating: redeem for a seat by id.");
            }

            if (seating == SeatingKind.GeneralAdmission && cmd.ClassId is null)
            {
                return Invalid("class_id", "This event is general admission: redeem for a ticket class.");
            }

            var holdId = Guid.CreateVersion7();
            var claim = new SeatClaim(seating, eventId, [seating == SeatingKind.Reserved ? cmd.SeatId!.Value : cmd.ClassId!.Value],
                seating == SeatingKind.GeneralAdmission ? [1] : [], seating == SeatingKind.GeneralAdmission ? [0] : [], now, holdId,
                now.AddSeconds(holds.DefaultExpireSeconds), owner, email, currency, holds.MaxTicketsPerCustomerPerEvent, AdmissionTokenId: null);
            var outcome = (await SeatClaim.RunAsync(conn, tx, [claim], ct))[0];
            if (outcome.Seats.Count == 0)
            {
                await tx.RollbackAsync(ct);
                if (outcome.Already is not null)
                {
                    return new InventoryError(ErrorCodes.PurchaseLimitExceeded,
                        $"The holder holds or bought {holds.MaxTicketsPerCustomerPerEvent} tickets of event '{eventId}' already; no credit was used.");
                }

                if (seating == SeatingKind.Reserved)
                {
                    return new InventoryError(ErrorCodes.SeatUnavailable, $"Seat '{cmd.SeatId}' of event '{eventId}' is not available; no credit was used.",
                        UnavailableSeatIds: [cmd.SeatId!.Value]);
                }

                // a general-admission claim skips rows other claims have locked: tried again a few times
                if (attempt == 3)
                {
                    return new InventoryError(ErrorCodes.SoldOut, $"No ticket of class '{cmd.ClassId}' of event '{eventId}' is available; no credit was used.");
                }

                // wall-clock on purpose: it waits for other claims' row locks, not for domain time
                await Task.Delay(TimeSpan.FromMilliseconds(10 << attempt), ct);
                continue;
            }

            // the i-th credit redeemed gets the i-th share of the price: all credits' shares sum to it
            var share = Allocate(price, credits)[credits - creditsLeft];
            var paymentId = Guid.CreateVersion7();
            await using (var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("UPDATE hold_items SET price_minor = $2 WHERE hold_id = $1", holdId, share.SubtotalMinor),
                    EventCatalog.Command("UPDATE holds SET total_minor = $2 WHERE id = $1", holdId, share.SubtotalMinor),
                    SharePayment(paymentId, holdId, share, now),
                },
            })
            {
                await batch.ExecuteNonQueryAsync(ct);
            }

            // paid from the purchase's unredeemed credits, posted when the pass was paid
            var sold = await sales.SellInAsync(conn, tx, holdId, new VerifiedPayment(paymentId, intentId, share, LedgerAccount.UnredeemedCredits), now, ct);
            if (sold.Error is { } refused)
            {
                await tx.RollbackAsync(ct);
                return refused;
            }

            await using (var record = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("INSERT INTO pass_redemptions (purchase_id, event_id, hold_id, order_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                        purchaseId, eventId, holdId, sold.Value!.OrderId, now),
                    EventCatalog.Command("UPDATE pass_purchases SET credits_left = credits_left - 1 WHERE id = $1", purchaseId),
                },
            })
            {
                await record.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            InventoryMetrics.TicketsSold.Add(sold.Value.Tickets);
            await cache.InvalidateAvailabilityAsync(eventId);
            return new PassRedemptionView(eventId, sold.Value.OrderId, new Money(share.TotalMinor, currency), now, creditsLeft - 1);
        }
    }

    private async Task<Result<PassPurchaseView>> PurchaseFlexAsync(
        Guid passId, long priceMinor, string currency, int credits, string customerRef, string? email, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var price = FeeCalculator.Quote(fees, priceMinor, credits, currency);
        var purchaseId = Guid.CreateVersion7();
        await using (var insert = db.CreateCommand("""
            INSERT INTO pass_purchases (id, pass_id, customer_ref, customer_email, expires_at, subtotal_minor, platform_fee_minor, processing_fee_minor,
                                        tax_minor, total_minor, currency, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """))
        {
            foreach (var value in new object[] { purchaseId, passId, customerRef, (object?)email ?? DBNull.Value, now.AddSeconds(holds.DefaultExpireSeconds),
                         price.SubtotalMinor, price.PlatformFeeMinor, price.ProcessingFeeMinor, price.TaxMinor, price.TotalMinor, currency, now })
            {
                insert.Parameters.Add(value is DBNull ? new() { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new() { Value = value });
            }

            await insert.ExecuteNonQueryAsync(ct);
        }

        return (await GetPurchaseAsync(purchaseId, null, ct)).Value!;
    }

    private static InventoryError Refused(Guid purchaseId, string why) =>
        new(ErrorCodes.PassRedemptionRefused, $"No credit of pass purchase '{purchaseId}' can be redeemed: {why}.");

    /// <summary>The purchase whose payment is PSP intent <paramref name="intentId"/>, if any (a PSP webhook names the intent).</summary>
    public async Task<Guid?> PurchaseOfIntentAsync(string intentId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM pass_purchases WHERE psp_intent_id = $1");
        cmd.Parameters.Add(new() { Value = intentId });
        return await cmd.ExecuteScalarAsync(ct) as Guid?;
    }

    /// <summary>
    /// Splits <paramref name="price"/> into <paramref name="count"/> shares, part by part, evenly with the remainder on the
    /// first: the shares sum to the price exactly.
    /// </summary>
    public static IReadOnlyList<PriceBreakdown> Allocate(PriceBreakdown price, int count)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        static long Part(long amount, int count, int i) => amount / count + (i == 0 ? amount % count : 0);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var (s, p, f, t) = (Part(price.SubtotalMinor, count, i), Part(price.PlatformFeeMinor, count, i), Part(price.ProcessingFeeMinor, count, i),
                Part(price.TaxMinor, count, i));
            return new PriceBreakdown(s, p, f, t, s + p + f + t, price.Currency);
        })];
    }

    private async Task<Result<bool>> SellAsync(Guid purchaseId, PaymentIntent intent, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var events = new List<Guid>();
        var tickets = 0;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            PriceBreakdown price;
            int? credits;
            await using (var read = new NpgsqlCommand("""
                SELECT p.status, p.subtotal_minor, p.platform_fee_minor, p.processing_fee_minor, p.tax_minor, p.total_minor, p.currency,
                       s.credits, p.expires_at
                FROM pass_purchases p JOIN passes s ON s.id = p.pass_id WHERE p.id = $1 FOR UPDATE OF p
                """, conn, tx))
            {
                read.Parameters.Add(new() { Value = purchaseId });
                await using var reader = await read.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                if (reader.GetString(0) != "held")
                {
                    // a concurrent confirm sold it (or closed it) first
                    return reader.GetString(0) == "paid" ? true : Closed(purchaseId, $"it is {reader.GetString(0)}");
                }

                price = new PriceBreakdown(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6));
                credits = reader.IsDBNull(7) ? null : reader.GetInt32(7);
                if (credits is not null && reader.GetFieldValue<DateTimeOffset>(8) <= now)
                {
                    // a flex purchase holds no seats, but its payment window is the same: paid too late, it is refunded
                    return new InventoryError(ErrorCodes.HoldExpired, $"it was not paid by {reader.GetFieldValue<DateTimeOffset>(8):O}");
                }
            }

            var holdIds = new List<(Guid EventId, Guid HoldId)>();
            await using (var read = new NpgsqlCommand("SELECT event_id, hold_id FROM pass_purchase_holds WHERE purchase_id = $1 ORDER BY event_id", conn, tx))
            {
                read.Parameters.Add(new() { Value = purchaseId });
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    holdIds.Add((reader.GetGuid(0), reader.GetGuid(1)));
                }
            }

            // a flex purchase has no holds: its credits are sold one by one when redeemed
            var shares = holdIds.Count == 0 ? [] : Allocate(price, holdIds.Count);
            for (var i = 0; i < holdIds.Count; i++)
            {
                // each order has a payment row of its share (no intent of its own); its reference is the pass's intent
                var paymentId = Guid.CreateVersion7();
                var share = shares[i];
                await using (var payment = new NpgsqlBatch(conn, tx) { BatchCommands = { SharePayment(paymentId, holdIds[i].HoldId, share, now) } })
                {
                    await payment.ExecuteNonQueryAsync(ct);
                }

                var sold = await sales.SellInAsync(conn, tx, holdIds[i].HoldId, new VerifiedPayment(paymentId, intent.Id, share), now, ct);
                if (sold.Error is { } refused)
                {
                    await tx.RollbackAsync(ct);
                    return refused;
                }

                await using (var link = new NpgsqlCommand("UPDATE pass_purchase_holds SET order_id = $3 WHERE purchase_id = $1 AND event_id = $2", conn, tx))
                {
                    link.Parameters.Add(new() { Value = purchaseId });
                    link.Parameters.Add(new() { Value = holdIds[i].EventId });
                    link.Parameters.Add(new() { Value = sold.Value!.OrderId });
                    await link.ExecuteNonQueryAsync(ct);
                }

                events.Add(holdIds[i].EventId);
                tickets += sold.Value.Tickets;
            }

            if (credits is not null)
            {
                // a flex pass's money is in the ledger from its payment on, as credits its redemptions' sales draw on
                await Ledger.Ledger.PostAsync(conn, tx, Postings.PassCredits(purchaseId, price, now), ct);
            }

            await using (var paid = new NpgsqlCommand(
                "UPDATE pass_purchases SET status = 'paid', paid_at = $2, closed_at = $2, credits_left = $3 WHERE id = $1", conn, tx))
            {
                paid.Parameters.Add(new() { Value = purchaseId });
                paid.Parameters.Add(new() { Value = now });
                paid.Parameters.Add(new() { Value = (object?)credits ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
                await paid.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        InventoryMetrics.TicketsSold.Add(tickets);
        foreach (var eventId in events)
        {
            await cache.InvalidateAvailabilityAsync(eventId);
        }

        LogSold(_log, purchaseId, events.Count, intent.Id);
        return true;
    }

    /// <summary>
    /// The payment row of one order's <paramref name="share"/> of a pass's payment: it has no PSP intent of its own (the
    /// order's reference is the pass's intent), and the sale marks it succeeded.
    /// </summary>
    private static NpgsqlBatchCommand SharePayment(Guid paymentId, Guid holdId, PriceBreakdown share, DateTimeOffset now) => EventCatalog.Command("""
        INSERT INTO payments (id, hold_id, attempt, status, subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor,
                              total_minor, currency, created_at, updated_at)
        VALUES ($1, $2, 1, 'processing', $3, $4, $5, $6, $7, $8, $9, $9)
        """, paymentId, holdId, share.SubtotalMinor, share.PlatformFeeMinor, share.ProcessingFeeMinor, share.TaxMinor, share.TotalMinor, share.Currency, now);

    /// <summary>Releases the purchase's seats still held and marks it cancelled (its payment was refunded).</summary>
    private async Task CloseUnsoldAsync(Guid purchaseId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(EventCatalog.Command("""
            UPDATE seats SET status = 0, hold_id = NULL, hold_expires_at = NULL, version = version + 1
            WHERE hold_id IN (SELECT hold_id FROM pass_purchase_holds WHERE purchase_id = $1) AND status = 1
            """, purchaseId));
        batch.BatchCommands.Add(EventCatalog.Command("""
            UPDATE holds SET status = 2, closed_at = $2 WHERE id IN (SELECT hold_id FROM pass_purchase_holds WHERE purchase_id = $1) AND status = 0
            """, purchaseId, now));
        batch.BatchCommands.Add(EventCatalog.Command(
            "UPDATE pass_purchases SET status = 'cancelled', closed_at = $2 WHERE id = $1 AND status = 'held'", purchaseId, now));
        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<PassView>> ReadPassesAsync(string where, object[] values, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT p.id, p.name, p.kind, p.price_minor, p.currency, p.credits, p.on_sale, p.created_at,
                   coalesce((SELECT jsonb_agg(jsonb_build_array(e.id, e.name, e.starts_at) ORDER BY e.starts_at, e.id)
                             FROM pass_events pe JOIN events e ON e.id = pe.event_id WHERE pe.pass_id = p.id), '[]')::text
            FROM passes p WHERE {where} ORDER BY p.created_at DESC, p.id LIMIT 500
            """);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new() { Value = value });
        }

        var list = new List<PassView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var events = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement[][]>(reader.GetString(8))!
                .Select(e => new PassEvent(e[0].GetGuid(), e[1].GetString()!, e[2].GetDateTimeOffset())).ToList();
            list.Add(new PassView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), new Money(reader.GetInt64(3), reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetBoolean(6), events, reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return list;
    }

    private async Task<(long PriceMinor, string Currency, bool OnSale, string Kind, int? Credits)?> ReadPassRowAsync(Guid passId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT price_minor, currency, on_sale, kind, credits FROM passes WHERE id = $1");
        cmd.Parameters.Add(new() { Value = passId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4))
            : null;
    }

    private static InventoryError Closed(Guid purchaseId, string why) =>
        new(ErrorCodes.PassPurchaseClosed, $"Pass purchase '{purchaseId}' cannot change: {why}.");

    private static InventoryError Unavailable(PaymentGatewayException ex) => new(ErrorCodes.PaymentUnavailable,
        $"The payment service did not answer; nothing was charged twice, try again. ({ex.Message})", RetryAfterSeconds: 5);

    private static InventoryError Invalid(string field, string message) =>
        InventoryError.Validation(new Dictionary<string, string[]> { [field] = [message] });

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Pass purchase {PurchaseId} paid: {Events} orders (PSP intent {IntentId})")]
    private static partial void LogSold(ILogger logger, Guid purchaseId, int events, string intentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP unavailable ({Operation}) for pass purchase {PurchaseId}: {Error}")]
    private static partial void LogPspUnavailable(ILogger logger, string operation, Guid purchaseId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP intent {IntentId} captured for pass purchase {PurchaseId} but it could not be sold ({Why}); refunded")]
    private static partial void LogRefunded(ILogger logger, string intentId, Guid purchaseId, string why);
}
