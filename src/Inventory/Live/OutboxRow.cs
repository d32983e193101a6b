namespace TicketAspire.Inventory.Live;

/// <summary>One outbox row of an event, as the live feed reads it.</summary>
/// <param name="Cursor">Its position in the event's log.</param>
/// <param name="Topic">The outbox topic (<c>hold.created</c>, …).</param>
/// <param name="Payload">The JSON payload.</param>
/// <param name="LookedUpSeatIds">
/// Seats the payload does not name but the row affects, looked up when read: an order's tickets' seats for refunds and
/// chargebacks, a hold's seats for a payment failure that released it.
/// </param>
public sealed record OutboxRow(StreamCursor Cursor, string Topic, string Payload, IReadOnlyList<Guid>? LookedUpSeatIds = null);
