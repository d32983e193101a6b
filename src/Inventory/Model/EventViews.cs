namespace TicketAspire.Inventory.Model;

/// <summary>A venue.</summary>
public sealed record VenueView(Guid Id, string Name, string City, string? Country, string? Address);

/// <summary>An event in a list.</summary>
public sealed record EventSummary(
    Guid Id,
    string Name,
    string Type,
    string? Performer,
    string? Description,
    DateTimeOffset StartsAt,
    SeatingKind Seating,
    string Currency,
    VenueView Venue,
    int TotalTicketCnt,
    int AvailableTicketCnt);

/// <summary>A page of events.</summary>
public sealed record EventPage(IReadOnlyList<EventSummary> Events, int Page, int Size, long Total);

/// <summary>
/// A ticket class with its price (face value) and live availability; <paramref name="CurrentPrice"/> is what a hold of
/// it would lock now where dynamic pricing applies to the event.
/// </summary>
public sealed record TicketClassView(Guid Id, string Name, Money Price, int Capacity, int Available, int Held, int Sold, Money? CurrentPrice = null);

/// <summary>
/// An event's dynamic pricing: whether the organizer opted in, its cap (percent of face value), whether it applies to
/// this reseller now (the jurisdiction's rule and the reseller's own choice), and the multiplier a hold would apply now.
/// </summary>
public sealed record EventPricing(bool Enabled, int? MaxPercent, bool Applies, decimal Multiplier);

/// <summary>An event with its classes, prices and live availability.</summary>
public sealed record EventDetail(
    Guid Id,
    string Name,
    string Type,
    string? Performer,
    string? Description,
    DateTimeOffset StartsAt,
    SeatingKind Seating,
    string Currency,
    VenueView Venue,
    int TotalTicketCnt,
    int AvailableTicketCnt,
    IReadOnlyList<TicketClassView> TicketClasses,
    string Status = "on_sale",
    int? RefundCutoffHours = null,
    EventPricing? DynamicPricing = null,
    bool ResaleAllowed = true,
    bool TransfersAllowed = true);

/// <summary>
/// One seat of the seat map; <paramref name="Accessibility"/> is "wheelchair", "companion" or null, and a companion seat
/// names its wheelchair seat in <paramref name="CompanionOf"/>.
/// </summary>
public sealed record SeatView(Guid Id, string Section, string Row, string Number, Guid ClassId, string ClassName, Money Price, SeatStatus Status,
    string? Accessibility = null, Guid? CompanionOf = null);

/// <summary>The accessible seats of an event, counted apart from the others (they are included in the seat map's totals too).</summary>
public sealed record AccessibleAvailability(int WheelchairAvailable, int WheelchairTotal, int CompanionAvailable, int CompanionTotal);

/// <summary>
/// The seat map of a reserved-seating event (empty for general admission), one page of it: the counts are the whole
/// event's; <paramref name="NextCursor"/> (null on the last page) asks for the next page.
/// </summary>
public sealed record SeatMap(Guid EventId, SeatingKind Seating, int Available, int Held, int Sold, IReadOnlyList<SeatView> Seats, string? NextCursor = null,
    AccessibleAvailability? Accessible = null);
