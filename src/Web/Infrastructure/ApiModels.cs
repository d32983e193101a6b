using System.Globalization;

namespace TicketAspire.Web.Infrastructure;

// The API's JSON (snake_case) as the storefront reads it: only the fields it shows.

/// <summary>An amount in minor units of a currency.</summary>
public sealed record Money(long MinorUnits, string Currency)
{
    /// <summary>The amount as a person reads it (<c>€12.50</c>, <c>£5.00</c>, <c>$3.00</c>).</summary>
    public string Display()
    {
        var symbol = Currency switch { "EUR" => "€", "GBP" => "£", "USD" => "$", _ => Currency + " " };
        return symbol + (MinorUnits / 100m).ToString("N2", CultureInfo.InvariantCulture);
    }
}

public sealed record Venue(string Name, string City, string? Country);

public sealed record EventSummary(Guid Id, string Name, string Type, string? Performer, DateTimeOffset StartsAt, string Seating,
    Venue Venue, int TotalTicketCnt, int AvailableTicketCnt);

public sealed record EventPage(IReadOnlyList<EventSummary> Events, int Page, int Size, long Total);

public sealed record TicketClass(Guid Id, string Name, Money Price, int Capacity, int Available, int Held, int Sold);

public sealed record EventDetail(Guid Id, string Name, string Type, string? Performer, string? Description, DateTimeOffset StartsAt,
    string Seating, string Currency, Venue Venue, int TotalTicketCnt, int AvailableTicketCnt, IReadOnlyList<TicketClass> TicketClasses,
    string Status, int? RefundCutoffHours);

/// <summary>A seat; <paramref name="Accessibility"/> <c>wheelchair</c> or <c>companion</c> (of <paramref name="CompanionOf"/>), or null.</summary>
public sealed record Seat(Guid Id, string Section, string Row, string Number, Guid ClassId, string ClassName, Money Price, string Status,
    string? Accessibility = null, Guid? CompanionOf = null);

/// <summary>Wheelchair spaces and companion seats, counted apart.</summary>
public sealed record AccessibleAvailability(int WheelchairAvailable, int WheelchairTotal, int CompanionAvailable, int CompanionTotal);

public sealed record SeatMap(Guid EventId, string Seating, int Available, int Held, int Sold, IReadOnlyList<Seat> Seats, string? NextCursor,
    AccessibleAvailability? Accessible = null);

public sealed record HeldSeat(Guid SeatId, Guid ClassId, string? Section, string? Row, string? Number, Money Price);

public sealed record Hold(Guid Id, Guid EventId, string Status, DateTimeOffset ExpiresAt, Money Total, IReadOnlyList<HeldSeat> Seats, Guid? OrderId);

public sealed record OrderPrice(Money Subtotal, Money PlatformFee, Money ProcessingFee, Money Tax, Money Total);

public sealed record PspPayment(string PaymentIntentId, string ClientSecret, Uri ConfirmUrl);

public sealed record Payment(Guid PaymentId, Guid HoldId, int Attempt, int AttemptsLeft, string Status, OrderPrice Price, DateTimeOffset HoldExpiresAt, PspPayment Psp);

public sealed record Ticket(Guid Id, Guid SeatId, string? Section, string? Row, string? Number, Money Price, string? Code, string Status);

public sealed record Refund(string Status, Money Amount, string Reason);

public sealed record Order(Guid Id, Guid HoldId, Guid EventId, string Status, Money Total, DateTimeOffset CreatedAt, IReadOnlyList<Ticket> Tickets,
    OrderPrice? Price, Refund? Refund);

public sealed record OrderList(IReadOnlyList<Order> Orders);

/// <summary>A valid ticket's signed QR payload (what the venue's scanners check).</summary>
public sealed record TicketQrPayload(Guid TicketId, string Payload);

/// <summary>Seats that changed status (one event of the API's live stream).</summary>
public sealed record SeatsMessage(string Topic, IReadOnlyList<SeatChange> Seats);

public sealed record SeatChange(Guid SeatId, string Status);

/// <summary>
/// The buyer's place in an event's waiting room: <c>waiting</c> (with the position and the estimated wait), <c>admitted</c>
/// (with the admission token a hold sends, until the window ends), <c>used</c> or <c>expired</c>.
/// </summary>
public sealed record QueuePlace(Guid EventId, string Status, long? Position, long PeopleAhead, int? EstimatedWaitSeconds, DateTimeOffset OnSaleAt,
    DateTimeOffset? WindowEndsAt, string? AdmissionToken);

/// <summary>
/// An RFC 9457 problem the API answered; <paramref name="Errors"/> are its field errors (400), <paramref name="RefusedFields"/>
/// and <paramref name="AllowedFields"/> what an event with sales refused and still allows (409 <c>event_has_sales</c>).
/// </summary>
public sealed record ApiProblem(int Status, string? Code, string? Title, string? Detail, int? AttemptsLeft,
    IReadOnlyDictionary<string, string[]>? Errors = null, IReadOnlyList<string>? RefusedFields = null, IReadOnlyList<string>? AllowedFields = null);

/// <summary>What the storefront needs of the reseller's rules.</summary>
public sealed record StorefrontRules(bool GuestCheckout);
