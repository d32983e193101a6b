namespace TicketAspire.Inventory.Model;

/// <summary>
/// Puts seats (reserved) or a quantity of tickets per class (general admission) on hold, all or nothing, for a customer
/// (<paramref name="CustomerRef"/>; guests also give <paramref name="CustomerEmail"/>). An event with a waiting room also
/// needs the customer's <paramref name="AdmissionToken"/>. A <paramref name="VoucherCode"/> of the event is redeemed by the
/// hold's own claim, all or nothing with its seats.
/// </summary>
public sealed record CreateHoldCommand(
    Guid? EventId,
    string? CustomerRef,
    IReadOnlyList<Guid>? SeatIds,
    IReadOnlyList<TicketRequest>? Tickets,
    int? ExpireInSeconds,
    string? CustomerEmail = null,
    string? AdmissionToken = null,
    string? VoucherCode = null);

/// <summary>A quantity of general-admission tickets of one class.</summary>
public sealed record TicketRequest(Guid? ClassId, int? Quantity);

/// <summary>
/// A seat on a hold, at the price locked when it was held (<paramref name="Price"/>), and its face value
/// (<paramref name="BasePrice"/>): the price is the face value times the hold's multiplier, rounded down, less the
/// voucher's <paramref name="Discount"/> on this seat (null: no voucher on the hold).
/// </summary>
public sealed record HeldSeat(Guid SeatId, Guid ClassId, string? Section, string? Row, string? Number, Money Price, Money? BasePrice = null, Money? Discount = null);

/// <summary>
/// A hold and its seats; <paramref name="PriceMultiplier"/> is the dynamic price multiplier its claim applied (1 where
/// dynamic pricing is off for the reseller or the event). With a voucher, <paramref name="Total"/> is after
/// <paramref name="Discount"/>, which <paramref name="VoucherCode"/> took off.
/// </summary>
public sealed record HoldView(
    Guid Id,
    Guid EventId,
    string CustomerRef,
    HoldStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int ExpireInSeconds,
    Money Total,
    IReadOnlyList<HeldSeat> Seats,
    Guid? OrderId,
    string? CustomerEmail = null,
    decimal PriceMultiplier = 1m,
    Money? Discount = null,
    string? VoucherCode = null);

/// <summary>A ticket of an order.</summary>
public sealed record TicketView(Guid Id, Guid SeatId, Guid ClassId, string? Section, string? Row, string? Number, Money Price, string Code, string Status);

/// <summary>An order and its tickets.</summary>
public sealed record OrderView(
    Guid Id,
    Guid HoldId,
    Guid EventId,
    string CustomerRef,
    string Status,
    Money Total,
    string PaymentReference,
    DateTimeOffset CreatedAt,
    IReadOnlyList<TicketView> Tickets,
    string? CustomerEmail = null,
    OrderPrice? Price = null,
    bool FraudFlagged = false,
    RefundView? Refund = null);

/// <summary>
/// What the buyer paid: tickets (after the voucher's <paramref name="Discount"/>, when there was one), fees, tax, total.
/// </summary>
public sealed record OrderPrice(Money Subtotal, Money PlatformFee, Money ProcessingFee, Money Tax, Money Total, Money? Discount = null, string? VoucherCode = null);

/// <summary>
/// The refund of an order: <c>requested</c> (at the PSP, or waiting until <paramref name="NextAttemptAt"/> after the PSP
/// did not answer <paramref name="Attempts"/> times), <c>succeeded</c>, or <c>failed</c> (the PSP refused it for good:
/// its code in <paramref name="FailureCode"/>, its message in <paramref name="LastError"/>; asking again tries again).
/// </summary>
public sealed record RefundView(
    Guid Id,
    string Status,
    Money Amount,
    string Reason,
    string InitiatedBy,
    string SeatDisposition,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int Attempts = 0,
    string? LastError = null,
    string? FailureCode = null,
    DateTimeOffset? NextAttemptAt = null,
    DateTimeOffset? FailedAt = null);

/// <summary>A payment the PSP reported as captured, with the price the buyer paid.</summary>
public sealed record VerifiedPayment(Guid PaymentId, string IntentId, Fees.PriceBreakdown Price,
    Ledger.LedgerAccount PaidFrom = Ledger.LedgerAccount.PspClearing);
