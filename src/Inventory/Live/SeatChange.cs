using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Live;

/// <summary>A seat's new status.</summary>
/// <param name="SeatId">The seat.</param>
/// <param name="Status">What it is now.</param>
public sealed record SeatChange(Guid SeatId, SeatStatus Status);
