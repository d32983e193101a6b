namespace TicketAspire.Inventory.Model;

/// <summary>
/// How large an event may be, checked on the command as it arrived, before any seat is materialised: counts of classes,
/// sections, rows and seats, every string's length, and prices. A request beyond them is refused with field errors
/// (at most <see cref="MaxErrors"/> of them).
/// </summary>
public static class EventLimits
{
    /// <summary>Seats (or general-admission tickets) of one event.</summary>
    public const int MaxUnitsPerEvent = 200_000;

    /// <summary>Ticket classes of one event.</summary>
    public const int MaxClasses = 100;

    /// <summary>Sections of one reserved-seating event.</summary>
    public const int MaxSections = 1_000;

    /// <summary>Rows of one section.</summary>
    public const int MaxRowsPerSection = 1_000;

    /// <summary>Seats of one row (<c>seat_count</c>, or explicit <c>seats</c>).</summary>
    public const int MaxSeatsPerRow = 1_000;

    /// <summary>
    /// Highest price of one ticket, in minor units: the payment service's largest payment (99,999,999, e.g. 999,999.99
    /// EUR). With at most a few dozen tickets per hold, no sum of prices comes near the 64-bit limit.
    /// </summary>
    public const long MaxPriceMinor = 99_999_999;

    /// <summary>Longest event name, performer, venue name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest description.</summary>
    public const int MaxDescriptionLength = 4_000;

    /// <summary>Longest city, country, class name, section name.</summary>
    public const int MaxShortTextLength = 100;

    /// <summary>Longest venue address.</summary>
    public const int MaxAddressLength = 500;

    /// <summary>Longest row label and seat number.</summary>
    public const int MaxLabelLength = 50;

    /// <summary>Field errors reported for one request (the rest are not looked for).</summary>
    public const int MaxErrors = 50;
}
