using System.Text.Json;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Live;

/// <summary>
/// Turns outbox rows into seat status changes. The mapping follows what each producer writes in the same transaction:
/// <list type="bullet">
/// <item><c>hold.created</c> (<c>seat_ids</c>) → held;</item>
/// <item><c>hold.cancelled</c> (<c>seat_ids</c>), <c>hold.expired</c> (<c>released_seat_ids</c>) → available;</item>
/// <item><c>payment.failed</c> with <c>released</c> (the hold's seats, looked up) → available;</item>
/// <item><c>order.confirmed</c> (<c>seat_ids</c>) → sold;</item>
/// <item><c>order.refunded</c>, <c>payment.chargeback</c> (the order's seats, looked up) → available when
/// <c>seat_disposition</c> is <c>released</c>, else void;</item>
/// <item><c>event.cancelled</c> → the stream's last update.</item>
/// </list>
/// Every other topic (payment attempts, fraud flags, sold out, …) changes no seat and maps to nothing.
/// </summary>
public static class SeatChangeMapper
{
    /// <summary>The update a row means for watchers, or null when it changes no seat.</summary>
    public static LiveUpdate? Map(OutboxRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var doc = JsonDocument.Parse(row.Payload);
        var payload = doc.RootElement;
        return row.Topic switch
        {
            "hold.created" => Update(row, Ids(payload, "seat_ids"), SeatStatus.Held),
            "hold.cancelled" => Update(row, Ids(payload, "seat_ids"), SeatStatus.Available),
            "hold.expired" => Update(row, Ids(payload, "released_seat_ids"), SeatStatus.Available),
            "payment.failed" when payload.TryGetProperty("released", out var released) && released.ValueKind == JsonValueKind.True =>
                Update(row, row.LookedUpSeatIds ?? [], SeatStatus.Available),
            "order.confirmed" => Update(row, Ids(payload, "seat_ids"), SeatStatus.Sold),
            "order.refunded" or "payment.chargeback" => Update(row, row.LookedUpSeatIds ?? [],
                Text(payload, "seat_disposition") == "released" ? SeatStatus.Available : SeatStatus.Void),
            "event.cancelled" => new LiveUpdate(row.Cursor.Id, row.Topic, [], EventCancelled: true),
            _ => null,
        };
    }

    private static LiveUpdate? Update(OutboxRow row, IReadOnlyList<Guid> seats, SeatStatus status) =>
        seats.Count == 0 ? null : new LiveUpdate(row.Cursor.Id, row.Topic, [.. seats.Select(id => new SeatChange(id, status))]);

    private static Guid[] Ids(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var ids) && ids.ValueKind == JsonValueKind.Array
            ? [.. ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetGuid())]
            : [];

    private static string? Text(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
