using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Payments;

namespace TicketAspire.Inventory.Sales;

/// <summary>
/// The sale, for one reseller database: a live hold becomes an order with one ticket per unit, its seats sold, its
/// payment marked succeeded, the sale posted to the ledger and <c>order.confirmed</c> written to the outbox, in one
/// transaction. A hold is sold only against a payment the PSP captured (<see cref="SellPaidAsync"/>), or for nothing when
/// its total is zero (<see cref="SellFreeAsync"/>); there is no other way to sell. Selling a sold hold again answers its
/// order (safe retries). A resale hold (one that names a listing) is sold by reissuing the listed ticket to the buyer
/// instead (<see cref="Tickets.TicketOwnership"/>), with the platform's commission (<see cref="FeePlan.ResaleCommissionBps"/>)
/// and the seller's payout posted to the ledger, in the same single transaction.
/// </summary>
public sealed class SaleService(NpgsqlDataSource db, InventoryCache cache, TimeProvider time, FeePlan? fees = null)
{
    /// <summary>The payment reference of an order for free tickets.</summary>
    public const string FreeReference = "free";

    private static readonly string Sold = ((int)SeatStatus.Sold).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Held = ((int)SeatStatus.Held).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Confirmed = ((int)HoldStatus.Confirmed).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sells hold <paramref name="holdId"/> against <paramref name="payment"/>, captured at the PSP.</summary>
    public Task<Result<OrderView>> SellPaidAsync(Guid holdId, VerifiedPayment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return SellAsync(holdId, payment, ct);
    }

    /// <summary>Sells hold <paramref name="holdId"/> for nothing; refused (<c>payment_required</c>) unless its total is zero.</summary>
    public Task<Result<OrderView>> SellFreeAsync(Guid holdId, CancellationToken ct) => SellAsync(holdId, null, ct);

    private async Task<Result<OrderView>> SellAsync(Guid holdId, VerifiedPayment? paid, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        Sale sale;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var sold = await SellInAsync(conn, tx, holdId, paid, now, ct);
            if (sold.Error is { } refused)
            {
                await tx.RollbackAsync(ct);
                return refused;
            }

            sale = sold.Value!;
            if (sale.Already)
            {
                await tx.RollbackAsync(ct);
                return await new OrderQueries(db).GetAsync(sale.OrderId, ct);
            }

            await tx.CommitAsync(ct);
            InventoryMetrics.TicketsSold.Add(sale.Tickets);
        }

        if (!sale.Resale)
        {
            await cache.InvalidateAvailabilityAsync(sale.EventId);
        }

        return await new OrderQueries(db).GetAsync(sale.OrderId, ct);
    }

    /// <summary>
    /// The sale of hold <paramref name="holdId"/> inside <paramref name="tx"/>, which the caller commits (and then counts
    /// the tickets and invalidates the event's availability) or rolls back: several holds sold in one transaction are sold
    /// all or none. A hold sold before answers its order with <see cref="Sale.Already"/> set and changes nothing.
    /// </summary>
    internal async Task<Result<Sale>> SellInAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid holdId, VerifiedPayment? paid, DateTimeOffset now,
        CancellationToken ct)
    {
        var hold = await LockedHold.ReadAsync(conn, tx, holdId, ct);
        if (hold is null)
        {
            return InventoryError.NotFound(ErrorCodes.HoldNotFound, "Hold", holdId);
        }

        if (hold.Status == HoldStatus.Confirmed)
        {
            return new Sale(hold.OrderId!.Value, hold.EventId, 0, Already: true, Resale: false);
        }

        if (hold.IsExpired(now))
        {
            return new InventoryError(ErrorCodes.HoldExpired, $"Hold '{holdId}' expired at {hold.ExpiresAt:O}; its seats were released.");
        }

        if (hold.Status != HoldStatus.Active)
        {
            return new InventoryError(ErrorCodes.HoldNotActive, $"Hold '{holdId}' is {hold.Status.ToString().ToLowerInvariant()}.");
        }

        if (paid is null && hold.TotalMinor != 0)
        {
            return new InventoryError(ErrorCodes.PaymentRequired,
                $"Hold '{holdId}' costs {hold.TotalMinor} {hold.Currency} (minor units): it is sold only against a captured payment.");
        }

        if (hold.ListingId is { } listingId)
        {
            var resold = await ResaleSale.SellAsync(conn, tx, holdId, listingId, hold, paid!, fees ?? new FeePlan(), now, ct);
            return resold.Error is { } refused ? refused : new Sale(resold.Value, hold.EventId, 1, Already: false, Resale: true);
        }

        await using (var sell = new NpgsqlCommand($"""
            UPDATE seats SET status = {Sold}, hold_expires_at = NULL, version = version + 1
            WHERE hold_id = $1 AND status = {Held} AND hold_expires_at > $2
            """, conn, tx))
        {
            sell.Parameters.Add(new() { Value = holdId });
            sell.Parameters.Add(new() { Value = now });
            var sold = await sell.ExecuteNonQueryAsync(ct);
            if (sold != hold.ItemCount)
            {
                return new InventoryError(ErrorCodes.HoldExpired, $"Hold '{holdId}' lost its seats to expiry.");
            }
        }

        var orderId = Guid.CreateVersion7();
        var codes = Enumerable.Range(0, hold.ItemCount).Select(_ => TicketCode.New()).ToArray();
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                EventCatalog.Command("""
                    INSERT INTO orders (id, hold_id, event_id, customer_ref, customer_email, total_minor, currency, payment_reference, created_at,
                                        payment_id, subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor, discount_minor, voucher_id)
                    SELECT $1, h.id, h.event_id, h.customer_ref, h.customer_email, coalesce($6, h.total_minor), h.currency, $3, $4,
                           $5, coalesce($7, h.total_minor), coalesce($8, 0), coalesce($9, 0), coalesce($10, 0), h.discount_minor, r.voucher_id
                    FROM holds h LEFT JOIN voucher_redemptions r ON r.hold_id = h.id WHERE h.id = $2
                    """, orderId, holdId, paid?.IntentId ?? FreeReference, now, (object?)paid?.PaymentId ?? DBNull.Value,
                    (object?)paid?.Price.TotalMinor ?? DBNull.Value, (object?)paid?.Price.SubtotalMinor ?? DBNull.Value,
                    (object?)paid?.Price.PlatformFeeMinor ?? DBNull.Value, (object?)paid?.Price.ProcessingFeeMinor ?? DBNull.Value,
                    (object?)paid?.Price.TaxMinor ?? DBNull.Value),
                EventCatalog.Command("""
                    INSERT INTO tickets (id, order_id, event_id, seat_id, class_id, price_minor, currency, code, issued_at, discount_minor)
                    SELECT gen_random_uuid(), $1, $3, i.seat_id, i.class_id, i.price_minor, $4, c.code, $5, i.discount_minor
                    FROM (SELECT seat_id, class_id, price_minor, discount_minor, row_number() OVER (ORDER BY seat_id) AS n FROM hold_items WHERE hold_id = $2) i
                    JOIN unnest($6::text[]) WITH ORDINALITY AS c (code, n) ON c.n = i.n
                    """, orderId, holdId, hold.EventId, hold.Currency, now, codes),
                EventCatalog.Command($"UPDATE holds SET status = {Confirmed}, order_id = $2, closed_at = $3 WHERE id = $1", holdId, orderId, now),
                EventCatalog.Command("UPDATE payments SET status = 'succeeded', updated_at = $2 WHERE id = $1", (object?)paid?.PaymentId ?? Guid.Empty, now),
                EventCatalog.Command(OrderConfirmedOutbox, orderId, hold.EventId, holdId, now),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        if (paid is { Price.TotalMinor: > 0 })
        {
            var classes = await OrderLedger.ClassAmountsAsync(conn, tx, orderId, ct);
            var discount = await OrderLedger.DiscountAsync(conn, tx, orderId, ct);
            await Ledger.Ledger.PostAsync(conn, tx, Ledger.Postings.Sale(orderId, hold.EventId, classes, paid.Price, now, discount, paid.PaidFrom), ct);
        }

        return new Sale(orderId, hold.EventId, hold.ItemCount, Already: false, Resale: false);
    }

    /// <summary>$1 order, $2 event, $3 hold, $4 now: what resellers and the buyer's confirmation e-mail need.</summary>
    internal const string OrderConfirmedOutbox = """
        INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
        SELECT 'order.confirmed', o.id, o.event_id, jsonb_build_object(
                   'order_id', o.id, 'hold_id', o.hold_id, 'event_id', o.event_id, 'customer_ref', o.customer_ref,
                   'customer_email', o.customer_email, 'payment_reference', o.payment_reference,
                   'price', jsonb_build_object('subtotal', o.subtotal_minor, 'platform_fee', o.platform_fee_minor,
                       'processing_fee', o.processing_fee_minor, 'tax', o.tax_minor, 'total', o.total_minor, 'currency', o.currency,
                       'discount', o.discount_minor, 'voucher_code', (SELECT code FROM vouchers WHERE id = o.voucher_id)),
                   'seat_ids', (SELECT jsonb_agg(seat_id) FROM hold_items WHERE hold_id = $3),
                   'tickets', (SELECT jsonb_agg(jsonb_build_object('ticket_id', t.id, 'seat_id', t.seat_id, 'class_id', t.class_id,
                                   'code', t.code, 'price', t.price_minor)) FROM tickets t WHERE t.order_id = $1)), $4
        FROM orders o WHERE o.id = $1 AND o.event_id = $2
        """;
}

/// <summary>What selling one hold did: its order, its event, the tickets issued, whether it was sold before, whether it was a resale.</summary>
internal sealed record Sale(Guid OrderId, Guid EventId, int Tickets, bool Already, bool Resale);
