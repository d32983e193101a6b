using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tickets;

namespace TicketAspire.Inventory.Sales;

/// <summary>
/// The sale of a resale hold, inside <see cref="SaleService"/>'s transaction: the listing still held by this hold
/// becomes sold, the buyer's order is written, the listed ticket is reissued to the buyer (the seller's code dies as
/// <c>resold</c>), and the ledger gets the resale entry (commission and the seller's payout).
/// </summary>
internal static class ResaleSale
{
    public static async Task<Result<Guid>> SellAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid holdId, Guid listingId, LockedHold hold, VerifiedPayment paid, FeePlan fees,
        DateTimeOffset now, CancellationToken ct)
    {
        Guid ticketId, classId;
        long asking;
        await using (var lockListing = new NpgsqlCommand("""
            SELECT ticket_id, class_id, asking_minor FROM resale_listings WHERE id = $1 AND status = 'listed' AND hold_id = $2 FOR UPDATE
            """, conn, tx))
        {
            lockListing.Parameters.Add(new() { Value = listingId });
            lockListing.Parameters.Add(new() { Value = holdId });
            await using var reader = await lockListing.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return new InventoryError(ErrorCodes.ListingUnavailable, $"Hold '{holdId}' no longer holds listing '{listingId}' (it lapsed and another buyer took it, or the seller withdrew it).");
            }

            (ticketId, classId, asking) = (reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2));
        }

        if (paid.Price.SubtotalMinor != asking)
        {
            return new InventoryError(ErrorCodes.PaymentMismatch, $"The payment of hold '{holdId}' is for {paid.Price.SubtotalMinor}, the listing asks {asking}.");
        }

        var orderId = Guid.CreateVersion7(now);
        await using (var order = new NpgsqlCommand("""
            INSERT INTO orders (id, hold_id, event_id, customer_ref, customer_email, total_minor, currency, payment_reference, created_at,
                                payment_id, subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor, listing_id)
            SELECT $1, id, event_id, customer_ref, customer_email, $3, currency, $4, $5, $6, $7, $8, $9, $10, $11 FROM holds WHERE id = $2
            """, conn, tx))
        {
            foreach (var value in new object[] { orderId, holdId, paid.Price.TotalMinor, paid.IntentId, now, paid.PaymentId, paid.Price.SubtotalMinor,
                         paid.Price.PlatformFeeMinor, paid.Price.ProcessingFeeMinor, paid.Price.TaxMinor, listingId })
            {
                order.Parameters.Add(new() { Value = value });
            }

            await order.ExecuteNonQueryAsync(ct);
        }

        var reissued = await TicketOwnership.ReissueAsync(conn, tx, ticketId, TicketStatuses.Resold, TicketStatuses.OriginResale,
            hold.CustomerRef, await EmailAsync(conn, tx, holdId, ct), orderId, asking, now, ct);
        if (reissued is null)
        {
            return new InventoryError(ErrorCodes.TicketNotValid, $"The ticket of listing '{listingId}' is no longer valid; nothing was sold.");
        }

        await using (var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                EventCatalog.Command("UPDATE resale_listings SET status = 'sold', order_id = $2, closed_at = $3 WHERE id = $1", listingId, orderId, now),
                EventCatalog.Command("UPDATE holds SET status = 1, order_id = $2, closed_at = $3 WHERE id = $1", holdId, orderId, now),
                EventCatalog.Command("UPDATE payments SET status = 'succeeded', updated_at = $2 WHERE id = $1", paid.PaymentId, now),
                EventCatalog.Command(SaleService.OrderConfirmedOutbox, orderId, hold.EventId, holdId, now),
            },
        })
        {
            await batch.ExecuteNonQueryAsync(ct);
        }

        var commission = FeeCalculator.ResaleCommission(fees, asking);
        await Ledger.Ledger.PostAsync(conn, tx, Ledger.Postings.Resale(orderId, hold.EventId, classId, paid.Price, commission, now), ct);
        return orderId;
    }

    private static async Task<string?> EmailAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid holdId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT customer_email FROM holds WHERE id = $1", conn, tx);
        cmd.Parameters.Add(new() { Value = holdId });
        return await cmd.ExecuteScalarAsync(ct) as string;
    }
}
