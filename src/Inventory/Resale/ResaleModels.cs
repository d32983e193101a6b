using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Resale;

/// <summary>
/// What the jurisdiction (and the reseller's narrowing override) says of resale at the time of a request: whether it is
/// allowed at all and the highest asking price, in percent of face value. The host reads it from its rules.
/// </summary>
public sealed record ResaleTerms(bool Allowed, int PriceCapPercent);

/// <summary>Lists ticket <paramref name="TicketId"/> at <paramref name="AskingPriceMinor"/> (minor units of the event's currency).</summary>
public sealed record ListTicketCommand(Guid? TicketId, long? AskingPriceMinor);

/// <summary>Buys listing <paramref name="ListingId"/>: holds it for <paramref name="CustomerRef"/> (a guest also gives <paramref name="CustomerEmail"/>).</summary>
public sealed record BuyListingCommand(Guid? ListingId, string? CustomerRef, string? CustomerEmail = null, int? ExpireInSeconds = null);

/// <summary>
/// A resale listing: <c>listed</c> (<paramref name="Available"/> unless a buyer's hold on it is live), <c>sold</c> (to
/// order <paramref name="OrderId"/>) or <c>withdrawn</c>. <paramref name="SellerRef"/> is shown to the seller's side only.
/// </summary>
public sealed record ListingView(
    Guid Id, Guid TicketId, Guid EventId, Guid SeatId, Guid ClassId, string? Section, string? Row, string? Number,
    Money FaceValue, Money AskingPrice, int CapPercent, string Status, bool Available, DateTimeOffset CreatedAt,
    Guid? OrderId = null, string? SellerRef = null, Money? SellerPayout = null);

/// <summary>The open listings of an event, cheapest first.</summary>
public sealed record ListingPage(Guid EventId, IReadOnlyList<ListingView> Listings);
