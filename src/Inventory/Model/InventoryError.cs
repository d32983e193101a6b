using TicketAspire.Inventory.Holds;

namespace TicketAspire.Inventory.Model;

/// <summary>
/// A domain error with a stable code from <see cref="ErrorCodes"/>; the API maps codes to HTTP statuses and
/// problem types. <see cref="Extensions"/> are part of the answer; <see cref="Block"/> is for the host only (an
/// <see cref="ErrorCodes.AccountBlocked"/> refusal: the block, and whether this attempt started it).
/// </summary>
public sealed record InventoryError(
    string Code,
    string Detail,
    IReadOnlyDictionary<string, string[]>? FieldErrors = null,
    IReadOnlyList<Guid>? UnavailableSeatIds = null,
    IReadOnlyDictionary<string, object?>? Extensions = null,
    int? RetryAfterSeconds = null,
    AccountStanding? Block = null)
{
    /// <summary>A validation error with field errors.</summary>
    public static InventoryError Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(ErrorCodes.Validation, "The request has invalid fields.", errors);

    /// <summary>A not-found error.</summary>
    public static InventoryError NotFound(string code, string what, Guid id) => new(code, $"{what} '{id}' does not exist.");
}

/// <summary>The catalogue of inventory error codes (one stable string per failure kind).</summary>
public static class ErrorCodes
{
    public const string Validation = "validation";
    public const string EventNotFound = "event_not_found";
    public const string HoldNotFound = "hold_not_found";
    public const string OrderNotFound = "order_not_found";
    public const string OrderNotResendable = "order_not_resendable";
    public const string AccountBlockNotFound = "account_block_not_found";
    public const string SeatUnavailable = "seat_unavailable";
    public const string SoldOut = "sold_out";
    public const string HoldExpired = "hold_expired";
    public const string HoldNotActive = "hold_not_active";
    public const string PaymentRequired = "payment_required";
    public const string PaymentNotConfirmed = "payment_not_confirmed";
    public const string PaymentDeclined = "payment_declined";
    public const string PaymentPending = "payment_pending";
    public const string PaymentUnavailable = "payment_unavailable";
    public const string PaymentMismatch = "payment_mismatch";
    public const string PaymentAttemptsExhausted = "payment_attempts_exhausted";
    public const string RefundNotAllowed = "refund_not_allowed";
    public const string RefundFailed = "refund_failed";
    public const string EventCancelled = "event_cancelled";
    public const string WaitingRoomNotFound = "waiting_room_not_found";
    public const string QueueEntryNotFound = "queue_entry_not_found";
    public const string AdmissionRequired = "admission_required";
    public const string AdmissionTokenInvalid = "admission_token_invalid";
    public const string AdmissionTokenUsed = "admission_token_used";
    public const string AdmissionTokenExpired = "admission_token_expired";
    public const string WaitlistEntryNotFound = "waitlist_entry_not_found";
    public const string WaitlistNotSoldOut = "waitlist_not_sold_out";
    public const string PurchaseLimitExceeded = "purchase_limit_exceeded";
    public const string AccountBlocked = "account_blocked";
    public const string HoldRefused = "hold_refused";
    public const string PaymentAmountTooLarge = "payment_amount_too_large";
    public const string StreamLimitExceeded = "stream_limit_exceeded";
    public const string StreamCapacityReached = "stream_capacity_reached";
    public const string TicketNotFound = "ticket_not_found";
    public const string TicketNotValid = "ticket_not_valid";
    public const string TicketLocked = "ticket_locked";
    public const string ResaleNotAllowed = "resale_not_allowed";
    public const string ResalePriceAboveCap = "resale_price_above_cap";
    public const string ListingNotFound = "listing_not_found";
    public const string ListingUnavailable = "listing_unavailable";
    public const string TransferNotAllowed = "transfer_not_allowed";
    public const string TransferNotFound = "transfer_not_found";
    public const string TransferExpired = "transfer_expired";
    public const string ErasureBlocked = "erasure_blocked";
    public const string TicketQrInvalid = "ticket_qr_invalid";
    public const string TicketForAnotherEvent = "ticket_for_another_event";
    public const string AlreadyCheckedIn = "already_checked_in";
    public const string LotteryNotFound = "lottery_not_found";
    public const string LotteryClosed = "lottery_closed";
    public const string LotteryNotDrawn = "lottery_not_drawn";
    public const string LotteryDrawn = "lottery_drawn";
    public const string LotteryEntryNotFound = "lottery_entry_not_found";
    public const string QueueIsALottery = "queue_is_a_lottery";
    public const string PresaleNotOpen = "presale_not_open";
    public const string PresaleNotFound = "presale_not_found";
    public const string PresaleCodeRequired = "presale_code_required";
    public const string VoucherNotFound = "voucher_not_found";
    public const string VoucherCodeTaken = "voucher_code_taken";
    public const string VoucherInvalid = "voucher_invalid";
    public const string VoucherExhausted = "voucher_exhausted";
    public const string VoucherLimitReached = "voucher_limit_reached";
    public const string VoucherNotApplicable = "voucher_not_applicable";
    public const string EventHasSales = "event_has_sales";
    public const string EventHasHolds = "event_has_holds";
    public const string SupportTicketNotFound = "support_ticket_not_found";
    public const string SupportTicketClosed = "support_ticket_closed";
    public const string SupportTicketThreadFull = "support_ticket_thread_full";
    public const string SupportTicketStatusNotAllowed = "support_ticket_status_not_allowed";
    public const string GroupQuoteNotFound = "group_quote_not_found";
    public const string GroupQuoteClosed = "group_quote_closed";
    public const string PassNotFound = "pass_not_found";
    public const string PassNotOnSale = "pass_not_on_sale";
    public const string PassPurchaseNotFound = "pass_purchase_not_found";
    public const string PassPurchaseClosed = "pass_purchase_closed";
    public const string PassRedemptionRefused = "pass_redemption_refused";
    public const string InvoiceAmountMismatch = "invoice_amount_mismatch";
}

/// <summary>A value or an error.</summary>
public readonly record struct Result<T>(T? Value, InventoryError? Error)
{
    /// <summary>True when there is a value.</summary>
    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(InventoryError error) => new(default, error);
}
