using System.Text.Json;

namespace TicketAspire.Inventory.Model;

/// <summary>
/// Changes to an event; a field left out (null) stays as it is. <paramref name="TicketClasses"/> name existing classes and
/// change their <c>price_minor</c> (and, general admission, their <c>quantity</c>); <paramref name="Sections"/> replace a
/// reserved event's seat plan (rows name existing classes). Before the first sale anything here may change (the seat plan
/// only while no seat was ever held); after it only <paramref name="StartsAt"/> and <paramref name="Description"/>.
/// </summary>
public sealed record UpdateEventCommand(
    string? Name,
    string? Performer,
    string? Description,
    DateTimeOffset? StartsAt,
    VenueInput? Venue,
    IReadOnlyList<TicketClassInput>? TicketClasses,
    IReadOnlyList<SectionInput>? Sections);

/// <summary>
/// One change of an event: who made it and when, the fields it changed with their values before and after (JSON objects
/// keyed by field), and how many orders' ticket holders were told.
/// </summary>
public sealed record EventChangeView(
    Guid Id, Guid EventId, DateTimeOffset ChangedAt, string Actor, IReadOnlyList<string> Fields, JsonElement Before, JsonElement After, int NotifiedOrders);

/// <summary>An event's changes, oldest first.</summary>
public sealed record EventHistory(Guid EventId, IReadOnlyList<EventChangeView> Changes);

/// <summary>The event after an update, and the change recorded (null when nothing differed).</summary>
public sealed record EventUpdated(EventDetail Event, EventChangeView? Change);
