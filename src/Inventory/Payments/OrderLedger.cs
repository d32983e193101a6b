using Npgsql;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Payments;

/// <summary>What the ledger needs to know of an order, read inside the caller's transaction.</summary>
internal static class OrderLedger
{
    /// <summary>
    /// The order's tickets by class: quantity and subtotal at the locked prices. A ticket reissued by a transfer stays in
    /// its order (the sale's money did not move) and is left out: the ticket it replaced is already counted.
    /// </summary>
    public static async Task<IReadOnlyList<ClassAmount>> ClassAmountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT class_id, count(*)::int, sum(price_minor)::bigint FROM tickets WHERE order_id = $1 AND origin <> 'transfer'
            GROUP BY class_id ORDER BY class_id
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = orderId });
        var list = new List<ClassAmount>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ClassAmount(reader.GetGuid(0), reader.GetInt32(1), reader.GetInt64(2)));
        }

        return list;
    }

    /// <summary>The voucher discount of an order's tickets by class (null when the order redeemed no voucher).</summary>
    public static async Task<VoucherDiscount?> DiscountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT o.voucher_id, t.class_id, count(*)::int, sum(t.discount_minor)::bigint
            FROM orders o JOIN tickets t ON t.order_id = o.id
            WHERE o.id = $1 AND o.voucher_id IS NOT NULL
            GROUP BY o.voucher_id, t.class_id ORDER BY t.class_id
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = orderId });
        Guid? voucherId = null;
        var list = new List<ClassAmount>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            voucherId = reader.GetGuid(0);
            list.Add(new ClassAmount(reader.GetGuid(1), reader.GetInt32(2), reader.GetInt64(3)));
        }

        return voucherId is { } id ? new VoucherDiscount(id, list) : null;
    }

    /// <summary>An order row locked for update, with what refunds and chargebacks need.</summary>
    public static async Task<LockedOrder?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT o.event_id, o.customer_ref, o.customer_email, o.status, o.payment_id, o.payment_reference, o.currency, o.total_minor,
                   coalesce(o.subtotal_minor, o.total_minor), coalesce(o.platform_fee_minor, 0), coalesce(o.processing_fee_minor, 0),
                   coalesce(o.tax_minor, 0), o.fraud_flagged, e.starts_at, e.status, e.refund_cutoff_hours,
                   CASE WHEN o.listing_id IS NOT NULL THEN coalesce((
                       SELECT sum(l.credit_minor) FROM journal_entries je JOIN journal_lines l ON l.entry_id = je.id
                       WHERE je.order_id = o.id AND je.kind = 'resale' AND l.account = 'seller_payable'), 0)::bigint END
            FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1 FOR UPDATE OF o
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = orderId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var currency = reader.GetString(6);
        return new LockedOrder(orderId, reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetString(5),
            new PriceBreakdown(reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(7), currency),
            reader.GetBoolean(12), reader.GetFieldValue<DateTimeOffset>(13), reader.GetInt16(14) == 1, reader.IsDBNull(15) ? null : reader.GetInt32(15),
            reader.IsDBNull(16) ? null : reader.GetInt64(16));
    }

    /// <summary>Voids the order's tickets and either releases its seats for sale again or voids them.</summary>
    public static NpgsqlBatchCommand[] SettleSeats(Guid orderId, Guid eventId, bool release) =>
    [
        EventCatalog.Command("UPDATE tickets SET status = 'void' WHERE order_id = $1 AND status = 'valid'", orderId),
        release
            ? EventCatalog.Command("""
                UPDATE seats SET status = 0, hold_id = NULL, hold_expires_at = NULL, version = version + 1
                WHERE id IN (SELECT seat_id FROM tickets WHERE order_id = $1) AND status = 2
                """, orderId)
            : EventCatalog.Command("""
                UPDATE seats SET status = 3, hold_expires_at = NULL, version = version + 1
                WHERE id IN (SELECT seat_id FROM tickets WHERE order_id = $1) AND status = 2
                """, orderId),
        EventCatalog.Command(release ? "UPDATE events SET sold_out_at = NULL WHERE id = $1 AND sold_out_at IS NOT NULL" : "SELECT $1::uuid", eventId),
    ];
}

/// <summary>
/// An order as refunds and chargebacks see it. <paramref name="ResaleSellerShare"/> is, for a resale purchase, what its
/// journal entry credited the seller (<c>seller_payable</c>); null for a primary sale.
/// </summary>
internal sealed record LockedOrder(
    Guid Id, Guid EventId, string CustomerRef, string? CustomerEmail, string Status, Guid? PaymentId, string IntentId, PriceBreakdown Price,
    bool FraudFlagged, DateTimeOffset EventStartsAt, bool EventCancelled, int? RefundCutoffHours, long? ResaleSellerShare = null);
