namespace TicketAspire.Inventory.Tickets;

/// <summary>The stored statuses (<c>tickets.status</c>) and origins (<c>tickets.origin</c>) of tickets.</summary>
public static class TicketStatuses
{
    /// <summary>Admits its owner.</summary>
    public const string Valid = "valid";

    /// <summary>Dead: refunded, charged back or its event cancelled.</summary>
    public const string Void = "void";

    /// <summary>Dead: sold on through the resale marketplace; a new ticket was issued to the buyer.</summary>
    public const string Resold = "resold";

    /// <summary>Dead: transferred to another person; a new ticket was issued to them.</summary>
    public const string Transferred = "transferred";

    /// <summary>Issued by a primary sale.</summary>
    public const string OriginSale = "sale";

    /// <summary>Issued to the buyer of a resale.</summary>
    public const string OriginResale = "resale";

    /// <summary>Issued to the recipient of a transfer.</summary>
    public const string OriginTransfer = "transfer";
}
