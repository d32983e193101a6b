using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Inventory.Orders;

/// <summary>
/// Reads orders and their tickets: those its buyer was issued (a ticket transferred on is shown dead, as
/// <c>transferred</c>; the recipient's new ticket is theirs, see <see cref="Tickets.TicketQueries"/>).
/// </summary>
public sealed class OrderQueries(NpgsqlDataSource db)
{
    /// <summary>One order with its tickets.</summary>
    public Task<Result<OrderView>> GetAsync(Guid orderId, CancellationToken ct) => GetAsync(orderId, null, ct);

    /// <summary>One order with its tickets, if it belongs to <paramref name="customerRef"/> (null: any customer); else not found.</summary>
    public async Task<Result<OrderView>> GetAsync(Guid orderId, string? customerRef, CancellationToken ct)
    {
        var orders = await LoadAsync("o.id = $1", orderId, 1, 0, ct);
        return orders.Count == 0 || (customerRef is not null && !string.Equals(orders[0].CustomerRef, customerRef, StringComparison.Ordinal))
            ? InventoryError.NotFound(ErrorCodes.OrderNotFound, "Order", orderId)
            : orders[0];
    }

    /// <summary>Orders of a customer, newest first.</summary>
    public Task<IReadOnlyList<OrderView>> ListByCustomerAsync(string customerRef, int page, int size, CancellationToken ct) =>
        LoadAsync("o.customer_ref = $1", customerRef, size, (page - 1) * size, ct);

    private async Task<IReadOnlyList<OrderView>> LoadAsync(string filter, object key, int limit, int offset, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                EventCatalog.Command($"""
                    SELECT o.id, o.hold_id, o.event_id, o.customer_ref, o.status, o.total_minor, o.currency, o.payment_reference, o.created_at, o.customer_email,
                           o.subtotal_minor, o.platform_fee_minor, o.processing_fee_minor, o.tax_minor, o.fraud_flagged,
                           o.discount_minor, (SELECT v.code FROM vouchers v WHERE v.id = o.voucher_id),
                           {RefundRows.Columns}
                    FROM orders o LEFT JOIN refunds r ON r.order_id = o.id WHERE {filter} ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3
                    """, key, limit, offset),
                EventCatalog.Command($"""
                    SELECT t.order_id, t.id, t.seat_id, t.class_id, s.section, s.row_label, s.number, t.price_minor, t.currency, t.code, t.status
                    FROM tickets t JOIN seats s ON s.id = t.seat_id
                    WHERE t.order_id IN (SELECT o.id FROM orders o WHERE {filter} ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3)
                      AND t.origin <> 'transfer'
                    ORDER BY s.ordinal
                    """, key, limit, offset),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var orders = new List<(Guid Id, Guid Hold, Guid Event, string Customer, string Status, Money Total, string Payment, DateTimeOffset Created, string? Email,
            OrderPrice? Price, bool Fraud, RefundView? Refund)>();
        while (await reader.ReadAsync(ct))
        {
            var currency = reader.GetString(6);
            var total = new Money(reader.GetInt64(5), currency);
            Money M(int i) => new(reader.GetInt64(i), currency);
            var voucher = reader.IsDBNull(16) ? null : reader.GetString(16);
            var price = reader.IsDBNull(10) ? null
                : new OrderPrice(M(10), M(11), M(12), M(13), total, voucher is null ? null : M(15), voucher);
            var refund = RefundRows.Read(reader, 17);
            orders.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                total, reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                price, reader.GetBoolean(14), refund));
        }

        await reader.NextResultAsync(ct);
        var tickets = new Dictionary<Guid, List<TicketView>>();
        while (await reader.ReadAsync(ct))
        {
            var orderId = reader.GetGuid(0);
            if (!tickets.TryGetValue(orderId, out var list))
            {
                tickets[orderId] = list = [];
            }

            list.Add(new TicketView(reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), new Money(reader.GetInt64(7), reader.GetString(8)),
                reader.GetString(9), reader.GetString(10)));
        }

        return [.. orders.Select(o => new OrderView(o.Id, o.Hold, o.Event, o.Customer, o.Status, o.Total, o.Payment, o.Created,
            tickets.GetValueOrDefault(o.Id) ?? [], o.Email, o.Price, o.Fraud, o.Refund))];
    }
}
