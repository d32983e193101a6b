namespace TicketAspire.Inventory.Model;

/// <summary>How an event is seated.</summary>
public enum SeatingKind
{
    /// <summary>Sections, rows and numbered seats; buyers pick seats.</summary>
    Reserved = 0,

    /// <summary>Ticket classes with a quantity; buyers pick a class and a count.</summary>
    GeneralAdmission = 1,
}

/// <summary>Status of a seat (or general-admission unit) as buyers see it.</summary>
public enum SeatStatus
{
    /// <summary>Can be held.</summary>
    Available = 0,

    /// <summary>On an unexpired hold.</summary>
    Held = 1,

    /// <summary>Sold.</summary>
    Sold = 2,

    /// <summary>Out of sale for good (its event was cancelled, or its order charged back).</summary>
    Void = 3,
}

/// <summary>Lifecycle of a hold.</summary>
public enum HoldStatus
{
    /// <summary>Seats are held until the expiry.</summary>
    Active = 0,

    /// <summary>Turned into an order.</summary>
    Confirmed = 1,

    /// <summary>Released by the customer.</summary>
    Cancelled = 2,

    /// <summary>Expired before confirmation.</summary>
    Expired = 3,
}
