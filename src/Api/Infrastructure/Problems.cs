using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Api.Infrastructure;

/// <summary>Maps inventory errors to RFC 9457 problem details with a stable type per error code.</summary>
public static class Problems
{
    /// <summary>Base of every problem type URI.</summary>
    public const string TypeBase = "https://ticketaspire.dev/problems/";

    public static ProblemHttpResult From(InventoryError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (status, title) = error.Code switch
        {
            ErrorCodes.Validation => (StatusCodes.Status400BadRequest, "The request is invalid"),
            ErrorCodes.EventNotFound => (StatusCodes.Status404NotFound, "Event not found"),
            ErrorCodes.HoldNotFound => (StatusCodes.Status404NotFound, "Hold not found"),
            ErrorCodes.OrderNotFound => (StatusCodes.Status404NotFound, "Order not found"),
            ErrorCodes.OrderNotResendable => (StatusCodes.Status409Conflict, "The order has no tickets to send"),
            ErrorCodes.AccountBlockNotFound => (StatusCodes.Status404NotFound, "The account is not blocked"),
            ErrorCodes.SeatUnavailable => (StatusCodes.Status409Conflict, "Seats not available"),
            ErrorCodes.SoldOut => (StatusCodes.Status409Conflict, "Not enough tickets available"),
            ErrorCodes.HoldExpired => (StatusCodes.Status410Gone, "Hold expired"),
            ErrorCodes.HoldNotActive => (StatusCodes.Status409Conflict, "Hold is not active"),
            ErrorCodes.PaymentRequired => (StatusCodes.Status409Conflict, "No payment started for this hold"),
            ErrorCodes.PaymentNotConfirmed => (StatusCodes.Status409Conflict, "The payment is not confirmed yet"),
            ErrorCodes.PaymentDeclined => (StatusCodes.Status402PaymentRequired, "Payment declined"),
            ErrorCodes.PaymentPending => (StatusCodes.Status202Accepted, "Payment pending"),
            ErrorCodes.PaymentUnavailable => (StatusCodes.Status503ServiceUnavailable, "The payment service is unavailable"),
            ErrorCodes.PaymentMismatch => (StatusCodes.Status409Conflict, "The payment does not match the hold"),
            ErrorCodes.PaymentAttemptsExhausted => (StatusCodes.Status409Conflict, "No payment attempts left"),
            ErrorCodes.RefundNotAllowed => (StatusCodes.Status409Conflict, "Refund not allowed"),
            ErrorCodes.RefundFailed => (StatusCodes.Status422UnprocessableEntity, "Refund refused by the payment service"),
            ErrorCodes.EventCancelled => (StatusCodes.Status409Conflict, "Event cancelled"),
            ErrorCodes.WaitingRoomNotFound => (StatusCodes.Status404NotFound, "Waiting room not found"),
            ErrorCodes.QueueEntryNotFound => (StatusCodes.Status404NotFound, "Not in the queue"),
            ErrorCodes.AdmissionRequired => (StatusCodes.Status403Forbidden, "Admission required"),
            ErrorCodes.AdmissionTokenInvalid => (StatusCodes.Status403Forbidden, "Admission token not valid"),
            ErrorCodes.AdmissionTokenUsed => (StatusCodes.Status403Forbidden, "Admission token already used"),
            ErrorCodes.AdmissionTokenExpired => (StatusCodes.Status403Forbidden, "Admission token expired"),
            ErrorCodes.WaitlistEntryNotFound => (StatusCodes.Status404NotFound, "Not on the waitlist"),
            ErrorCodes.WaitlistNotSoldOut => (StatusCodes.Status409Conflict, "Tickets are available"),
            ErrorCodes.PurchaseLimitExceeded => (StatusCodes.Status409Conflict, "Purchase limit reached"),
            ErrorCodes.AccountBlocked => (StatusCodes.Status429TooManyRequests, "Account blocked from holds"),
            ErrorCodes.HoldRefused => (StatusCodes.Status429TooManyRequests, "Hold attempt refused"),
            ErrorCodes.PaymentAmountTooLarge => (StatusCodes.Status422UnprocessableEntity, "The total is more than one payment may be"),
            ErrorCodes.StreamLimitExceeded => (StatusCodes.Status429TooManyRequests, "Too many streams open"),
            ErrorCodes.StreamCapacityReached => (StatusCodes.Status503ServiceUnavailable, "No room for another stream"),
            ErrorCodes.TicketNotFound => (StatusCodes.Status404NotFound, "Ticket not found"),
            ErrorCodes.TicketNotValid => (StatusCodes.Status409Conflict, "The ticket is not valid"),
            ErrorCodes.TicketLocked => (StatusCodes.Status409Conflict, "The ticket is listed for resale or being transferred"),
            ErrorCodes.ResaleNotAllowed => (StatusCodes.Status403Forbidden, "Resale not allowed"),
            ErrorCodes.ResalePriceAboveCap => (StatusCodes.Status422UnprocessableEntity, "Asking price above the resale cap"),
            ErrorCodes.ListingNotFound => (StatusCodes.Status404NotFound, "Listing not found"),
            ErrorCodes.ListingUnavailable => (StatusCodes.Status409Conflict, "Listing not available"),
            ErrorCodes.TransferNotAllowed => (StatusCodes.Status403Forbidden, "Transfer not allowed"),
            ErrorCodes.TransferNotFound => (StatusCodes.Status404NotFound, "Transfer not found"),
            ErrorCodes.TransferExpired => (StatusCodes.Status410Gone, "Transfer expired"),
            ErrorCodes.ErasureBlocked => (StatusCodes.Status409Conflict, "Personal data cannot be erased yet"),
            ErrorCodes.TicketQrInvalid => (StatusCodes.Status422UnprocessableEntity, "Not a ticket of this reseller"),
            ErrorCodes.TicketForAnotherEvent => (StatusCodes.Status422UnprocessableEntity, "Ticket for another event"),
            ErrorCodes.AlreadyCheckedIn => (StatusCodes.Status409Conflict, "Ticket already checked in"),
            ErrorCodes.LotteryNotFound => (StatusCodes.Status404NotFound, "No lottery for this event"),
            ErrorCodes.LotteryClosed => (StatusCodes.Status409Conflict, "Lottery registration is not open"),
            ErrorCodes.LotteryNotDrawn => (StatusCodes.Status409Conflict, "The lottery is not drawn yet"),
            ErrorCodes.LotteryDrawn => (StatusCodes.Status409Conflict, "The lottery was drawn"),
            ErrorCodes.LotteryEntryNotFound => (StatusCodes.Status404NotFound, "Not registered for the lottery"),
            ErrorCodes.QueueIsALottery => (StatusCodes.Status409Conflict, "The event sells by lottery"),
            ErrorCodes.PresaleNotOpen => (StatusCodes.Status403Forbidden, "Sales have not started"),
            ErrorCodes.PresaleNotFound => (StatusCodes.Status404NotFound, "No such presale"),
            ErrorCodes.PresaleCodeRequired => (StatusCodes.Status403Forbidden, "Presale buyers only"),
            ErrorCodes.VoucherNotFound => (StatusCodes.Status404NotFound, "Voucher not found"),
            ErrorCodes.VoucherCodeTaken => (StatusCodes.Status409Conflict, "Voucher code already used for this event"),
            ErrorCodes.VoucherInvalid => (StatusCodes.Status422UnprocessableEntity, "Voucher not valid"),
            ErrorCodes.VoucherExhausted => (StatusCodes.Status409Conflict, "Voucher used up"),
            ErrorCodes.VoucherLimitReached => (StatusCodes.Status409Conflict, "Voucher already used by this customer"),
            ErrorCodes.VoucherNotApplicable => (StatusCodes.Status422UnprocessableEntity, "Voucher does not apply to these tickets"),
            ErrorCodes.EventHasSales => (StatusCodes.Status409Conflict, "The event has sales"),
            ErrorCodes.EventHasHolds => (StatusCodes.Status409Conflict, "The event has live holds"),
            ErrorCodes.SupportTicketNotFound => (StatusCodes.Status404NotFound, "Support ticket not found"),
            ErrorCodes.SupportTicketClosed => (StatusCodes.Status409Conflict, "The support ticket is closed"),
            ErrorCodes.SupportTicketThreadFull => (StatusCodes.Status409Conflict, "The support ticket's thread is full"),
            ErrorCodes.SupportTicketStatusNotAllowed => (StatusCodes.Status403Forbidden, "Not a status this side may set"),
            ErrorCodes.GroupQuoteNotFound => (StatusCodes.Status404NotFound, "Group quote not found"),
            ErrorCodes.GroupQuoteClosed => (StatusCodes.Status409Conflict, "The group quote is closed"),
            ErrorCodes.PassNotFound => (StatusCodes.Status404NotFound, "Pass not found"),
            ErrorCodes.PassNotOnSale => (StatusCodes.Status409Conflict, "The pass is not on sale"),
            ErrorCodes.PassPurchaseNotFound => (StatusCodes.Status404NotFound, "Pass purchase not found"),
            ErrorCodes.PassPurchaseClosed => (StatusCodes.Status409Conflict, "The pass purchase is closed"),
            ErrorCodes.PassRedemptionRefused => (StatusCodes.Status409Conflict, "The pass credit cannot be redeemed"),
            ErrorCodes.InvoiceAmountMismatch => (StatusCodes.Status422UnprocessableEntity, "The payment does not match the invoice"),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error"),
        };
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.FieldErrors is not null)
        {
            extensions["errors"] = error.FieldErrors;
        }

        if (error.UnavailableSeatIds is not null)
        {
            extensions["unavailable_seat_ids"] = error.UnavailableSeatIds;
        }

        foreach (var (key, value) in error.Extensions ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }

        return TypedResults.Problem(new ProblemDetails
        {
            Type = TypeBase + error.Code,
            Title = title,
            Status = status,
            Detail = error.Detail,
            Extensions = extensions,
        });
    }

    /// <summary>As <see cref="From(InventoryError)"/>, and sets <c>Retry-After</c> when the error says when to try again.</summary>
    public static ProblemHttpResult From(InventoryError error, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(context);
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return From(error);
    }

    /// <summary>
    /// <paramref name="error"/> with <paramref name="hint"/> after its detail when its code is <paramref name="code"/>. The
    /// core says what is wrong in domain terms; the endpoint adds what helps an HTTP client (a route, a header).
    /// </summary>
    public static InventoryError WithHint(this InventoryError error, string code, string hint)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code == code ? error with { Detail = $"{error.Detail} {hint}" } : error;
    }

    /// <summary>Writes a problem with a stable <paramref name="code"/> outside an endpoint (middleware, authorization).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Type = TypeBase + code,
            Title = title,
            Status = status,
            Detail = detail,
            Extensions = { ["code"] = code },
        };
        // a client that accepts only what the endpoint streams (text/event-stream) still gets the problem as JSON
        if (!await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = problem,
            }))
        {
            context.Response.ContentType = "application/problem+json";
            await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, problem, System.Text.Json.JsonSerializerOptions.Web, context.RequestAborted);
        }
    }

    /// <summary>A 403 with a stable code, for object-level refusals inside endpoints.</summary>
    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(new ProblemDetails
    {
        Type = TypeBase + "forbidden",
        Title = "Forbidden",
        Status = StatusCodes.Status403Forbidden,
        Detail = detail,
        Extensions = { ["code"] = "forbidden" },
    });

    /// <summary>A 401 with a stable code (a caller that proves who it is some other way than a token: a signature).</summary>
    public static ProblemHttpResult Unauthorized(string code, string detail) => TypedResults.Problem(new ProblemDetails
    {
        Type = TypeBase + code,
        Title = "Unauthorized",
        Status = StatusCodes.Status401Unauthorized,
        Detail = detail,
        Extensions = { ["code"] = code },
    });

    /// <summary>A 400 with one field error.</summary>
    public static ProblemHttpResult Invalid(string field, string message) =>
        From(InventoryError.Validation(new Dictionary<string, string[]> { [field] = [message] }));
}
