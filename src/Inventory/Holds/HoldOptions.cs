using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>Bounds of holds.</summary>
public sealed class HoldOptions
{
    /// <summary>Expiry when the request gives none.</summary>
    public int DefaultExpireSeconds { get; set; } = 600;

    /// <summary>Shortest allowed expiry.</summary>
    public int MinExpireSeconds { get; set; } = 1;

    /// <summary>Longest allowed expiry.</summary>
    public int MaxExpireSeconds { get; set; } = 3600;

    /// <summary>Most seats or tickets one hold may take.</summary>
    public int MaxSeatsPerHold { get; set; } = 50;

    /// <summary>
    /// Most tickets one customer may have for one event: those in their live holds plus the valid tickets of their
    /// orders. Enforced in the claim statement, serialized per customer and event.
    /// </summary>
    public int MaxTicketsPerCustomerPerEvent { get; set; } = 6;
}
