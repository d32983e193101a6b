using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// Whether an account may hold: <see cref="BlockedUntil"/> is set while it is blocked; <see cref="BlockStarted"/> is true
/// when this very check started the block; <see cref="Unconfirmed"/> is the hold-without-confirm count that was compared.
/// </summary>
public sealed record AccountStanding(DateTimeOffset? BlockedUntil, bool BlockStarted, int Unconfirmed)
{
    /// <summary>True when the account may not hold now.</summary>
    public bool IsBlocked => BlockedUntil is not null;
}
