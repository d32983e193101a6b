namespace TicketAspire.Inventory.Waitlist;

/// <summary>Joins the waitlist of a sold-out class for <paramref name="Quantity"/> tickets (1 to 4).</summary>
public sealed record JoinWaitlistCommand(Guid? ClassId, int? Quantity, string? CustomerRef, string? CustomerEmail = null);

/// <summary>
/// A place on a class's waitlist; when offered, the hold made for the customer and when it lapses; when closed as
/// <c>expired</c>, why (<see cref="WaitlistClosedReasons"/>) and, for a skipped entry, the hold's refusal in words.
/// </summary>
public sealed record WaitlistEntryView(
    Guid Id,
    Guid EventId,
    Guid ClassId,
    string CustomerRef,
    int Quantity,
    string Status,
    long PeopleAhead,
    DateTimeOffset JoinedAt,
    Guid? OfferHoldId,
    DateTimeOffset? OfferExpiresAt,
    string? ClosedReason = null,
    string? ClosedDetail = null);

/// <summary>An offer the worker made: the entry and its exclusive hold.</summary>
public sealed record WaitlistOffer(Guid EntryId, Guid EventId, Guid ClassId, string CustomerRef, Guid HoldId, DateTimeOffset ExpiresAt);
