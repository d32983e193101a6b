using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Holds;

/// <summary>A hold read with its row locked (<c>FOR UPDATE</c>) in a transaction that is about to change it.</summary>
internal sealed record LockedHold(
    Guid EventId, HoldStatus Status, DateTimeOffset ExpiresAt, Guid? OrderId, string Currency, string CustomerRef, int ItemCount, long TotalMinor,
    Guid? ListingId = null)
{
    /// <summary>Whether <paramref name="customerRef"/> may see the hold (null: any customer of the reseller).</summary>
    public bool IsVisibleTo(string? customerRef) => customerRef is null || string.Equals(CustomerRef, customerRef, StringComparison.Ordinal);

    /// <summary>Live: active and not yet past its expiry at <paramref name="now"/>.</summary>
    public bool IsLive(DateTimeOffset now) => Status == HoldStatus.Active && ExpiresAt > now;

    /// <summary>Past its expiry (marked so by the sweeper, or not yet) at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => Status == HoldStatus.Expired || (Status == HoldStatus.Active && ExpiresAt <= now);

    /// <summary>Locks and reads hold <paramref name="holdId"/>; null when there is none.</summary>
    public static async Task<LockedHold?> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid holdId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT h.event_id, h.status, h.expires_at, h.order_id, h.currency, h.customer_ref,
                   (SELECT count(*) FROM hold_items i WHERE i.hold_id = h.id), h.total_minor, h.listing_id
            FROM holds h WHERE h.id = $1 FOR UPDATE
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = holdId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new LockedHold(reader.GetGuid(0), (HoldStatus)reader.GetInt16(1), reader.GetFieldValue<DateTimeOffset>(2),
            reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetString(4), reader.GetString(5), (int)reader.GetInt64(6), reader.GetInt64(7),
            reader.IsDBNull(8) ? null : reader.GetGuid(8));
    }
}
