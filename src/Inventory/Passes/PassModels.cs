using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;

namespace TicketAspire.Inventory.Passes;

/// <summary>
/// A pass to define: <paramref name="Kind"/> <c>season</c> (the same seat in every event; reserved seating) or <c>flex</c>
/// (<paramref name="Credits"/> events of the set, chosen later), over 2 to 52 distinct events of one currency, for
/// <paramref name="PriceMinor"/> (the bundle's ticket price, before fees and tax).
/// </summary>
public sealed record CreatePassCommand(string? Name, string? Kind, IReadOnlyList<Guid>? EventIds, long? PriceMinor, int? Credits = null);

/// <summary>A pass: its events in start order.</summary>
public sealed record PassView(
    Guid Id, string Name, string Kind, Money Price, int? Credits, bool OnSale, IReadOnlyList<PassEvent> Events, DateTimeOffset CreatedAt);

/// <summary>One event of a pass.</summary>
public sealed record PassEvent(Guid EventId, string Name, DateTimeOffset StartsAt);

/// <summary>Passes, newest first.</summary>
public sealed record PassList(IReadOnlyList<PassView> Items);

/// <summary>
/// Buying a pass: for a season pass the seat by its label (<paramref name="Section"/>, <paramref name="Row"/>,
/// <paramref name="Number"/>), held in every event of the pass; for a flex pass no seat (credits are redeemed later). An
/// end user buys for themselves (customer_ref from the token).
/// </summary>
public sealed record CreatePassPurchaseCommand(string? CustomerRef, string? CustomerEmail, string? Section, string? Row, string? Number);

/// <summary>
/// A pass purchase: <c>held</c> (its seats held until <paramref name="ExpiresAt"/>, waiting for the payment), <c>paid</c>
/// (an order per event), <c>expired</c> (unpaid in time; its seats were released) or <c>cancelled</c> (paid too late or a
/// hold lost: the payment was refunded).
/// </summary>
public sealed record PassPurchaseView(
    Guid Id, Guid PassId, string CustomerRef, string? CustomerEmail, string Status, DateTimeOffset ExpiresAt, PassSeat? Seat, OrderPrice Price,
    IReadOnlyList<PassPurchaseEvent> Events, string? PaymentIntentId, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, string Kind = "season",
    int? CreditsLeft = null, IReadOnlyList<PassRedemptionView>? Redemptions = null);

/// <summary>
/// Redeeming a credit of a paid flex purchase for one ticket of <paramref name="EventId"/>: <paramref name="ClassId"/> for
/// general admission, <paramref name="SeatId"/> for reserved seating.
/// </summary>
public sealed record RedeemPassCommand(Guid? EventId, Guid? ClassId, Guid? SeatId);

/// <summary>A redeemed credit: the event, its order (one ticket) and the credit's share of the price.</summary>
public sealed record PassRedemptionView(Guid EventId, Guid OrderId, Money Share, DateTimeOffset RedeemedAt, int CreditsLeft);

/// <summary>The seat label of a season purchase.</summary>
public sealed record PassSeat(string? Section, string? Row, string? Number);

/// <summary>One event of a season purchase: its hold and seat, its share of the price, and its order once paid.</summary>
public sealed record PassPurchaseEvent(Guid EventId, Guid HoldId, Guid SeatId, Money Share, Guid? OrderId);

/// <summary>The payment of a pass purchase: the price with its fees and the PSP intent the buyer confirms.</summary>
public sealed record PassPaymentView(Guid PurchaseId, string Status, OrderPrice Price, DateTimeOffset ExpiresAt, PspPayment Psp);
