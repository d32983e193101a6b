using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tickets;

/// <summary>
/// A ticket as its owner sees it: its code while it is valid (a dead ticket's code is not shown again), why it died
/// (<c>resold</c>, <c>transferred</c>, <c>void</c>), where it came from (<c>sale</c>, <c>resale</c>, <c>transfer</c>).
/// </summary>
public sealed record OwnedTicket(
    Guid Id, Guid OrderId, Guid EventId, Guid SeatId, Guid ClassId, string? Section, string? Row, string? Number, Money Price,
    string? Code, string Status, string Origin, string OwnerRef, DateTimeOffset IssuedAt, Guid? ReplacedBy = null);
