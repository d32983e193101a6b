namespace TicketAspire.Inventory.Model;

/// <summary>
/// Creates an event with its venue and ticket classes, reserved or general admission. End users may ask for refunds
/// until <paramref name="RefundCutoffHours"/> before it starts (default 24). <paramref name="DynamicPricing"/> opts the
/// event in to demand pricing (where the reseller's rules allow it), with the organizer's own cap. The organizer may forbid the resale
/// (<paramref name="ResaleAllowed"/>) or the transfer (<paramref name="TransfersAllowed"/>) of its tickets (default: allowed
/// where the jurisdiction allows them).
/// </summary>
public sealed record CreateEventCommand(
    string? Name,
    string? Type,
    string? Performer,
    string? Description,
    DateTimeOffset? StartsAt,
    VenueInput? Venue,
    string? Seating,
    string? Currency,
    IReadOnlyList<TicketClassInput>? TicketClasses,
    IReadOnlyList<SectionInput>? Sections,
    int? RefundCutoffHours = null,
    DynamicPricingInput? DynamicPricing = null,
    bool? ResaleAllowed = null,
    bool? TransfersAllowed = null);

/// <summary>
/// An event's dynamic pricing: <paramref name="Enabled"/> opts it in (default off: the face value always);
/// <paramref name="MaxPercent"/> caps its price at that percentage of face value (100..1000), whatever the jurisdiction
/// allows.
/// </summary>
public sealed record DynamicPricingInput(bool? Enabled, int? MaxPercent);

/// <summary>The venue of a new event.</summary>
public sealed record VenueInput(string? Name, string? City, string? Country, string? Address);

/// <summary>A ticket class: its price; for general admission also its quantity.</summary>
public sealed record TicketClassInput(string? Name, long? PriceMinor, int? Quantity);

/// <summary>A section of a reserved-seating venue.</summary>
public sealed record SectionInput(string? Name, IReadOnlyList<RowInput>? Rows);

/// <summary>
/// A row: either <c>seat_count</c> seats numbered 1..n of one class, or explicit <c>seats</c>. Optionally its accessible
/// seats: <c>wheelchair_seats</c> (seat numbers of the row) and <c>companions</c> (wheelchair seat number → the numbers of
/// its companion seats in the same row).
/// </summary>
public sealed record RowInput(string? Label, string? Class, int? SeatCount, IReadOnlyList<SeatInput>? Seats,
    IReadOnlyList<string>? WheelchairSeats = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? Companions = null);

/// <summary>One seat; class and price default to the row's class and that class's price.</summary>
public sealed record SeatInput(string? Number, string? Class, long? PriceMinor);

/// <summary>The organizer's choice for an event's tickets; a field left out (null) keeps the current value.</summary>
public sealed record TicketPolicyCommand(bool? ResaleAllowed, bool? TransfersAllowed);

/// <summary>Filters, sort and paging of the event list (seed 001).</summary>
public sealed record EventQuery(
    string? Type,
    string? Location,
    DateTimeOffset? DateFrom,
    DateTimeOffset? DateTo,
    string SortBy,
    bool Descending,
    int Page,
    int Size);
