namespace TicketAspire.Inventory.Live;

/// <summary>What a watcher of an event is told about one outbox row.</summary>
/// <param name="Id">The outbox row id (the SSE event id).</param>
/// <param name="Topic">The outbox topic it came from.</param>
/// <param name="Seats">The seats whose status changed.</param>
/// <param name="EventCancelled">The event was cancelled: its last update (every free or held seat is void).</param>
public sealed record LiveUpdate(long Id, string Topic, IReadOnlyList<SeatChange> Seats, bool EventCancelled = false);
