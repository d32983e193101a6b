using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// The simulator's error catalogue: every error is RFC 9457 problem details with a stable <c>code</c> extension and
/// <c>type</c> = <see cref="TypeBase"/> + code.
/// </summary>
public static class PspProblems
{
    /// <summary>Base of every problem type URI.</summary>
    public const string TypeBase = "https://ticketaspire.dev/problems/psp/";

    /// <summary>Stable error codes.</summary>
    public static class Codes
    {
        /// <summary>400: the body or a parameter is invalid (<c>errors</c> names the fields).</summary>
        public const string InvalidRequest = "invalid_request";

        /// <summary>400: not a test card and not a 16-digit number passing the Luhn check.</summary>
        public const string InvalidCardNumber = "invalid_card_number";

        /// <summary>400: refunds need a succeeded intent.</summary>
        public const string IntentNotRefundable = "intent_not_refundable";

        /// <summary>400: the refund is larger than what remains refundable.</summary>
        public const string AmountTooLarge = "amount_too_large";

        /// <summary>400: nothing remains refundable.</summary>
        public const string ChargeAlreadyRefunded = "charge_already_refunded";

        /// <summary>400: a disputed payment is settled by the dispute, not by a refund.</summary>
        public const string ChargeDisputed = "charge_disputed";

        /// <summary>401: missing or wrong API key.</summary>
        public const string Unauthorized = "unauthorized";

        /// <summary>403: missing or wrong client secret.</summary>
        public const string InvalidClientSecret = "invalid_client_secret";

        /// <summary>404: no such payment intent.</summary>
        public const string PaymentIntentNotFound = "payment_intent_not_found";

        /// <summary>404: no such refund.</summary>
        public const string RefundNotFound = "refund_not_found";

        /// <summary>404: no such route.</summary>
        public const string NotFound = "not_found";

        /// <summary>409: the intent's status does not allow the operation (e.g. confirming a succeeded intent).</summary>
        public const string PaymentIntentUnexpectedState = "payment_intent_unexpected_state";

        /// <summary>409: a request with the same idempotency key is still running.</summary>
        public const string IdempotencyKeyInUse = "idempotency_key_in_use";

        /// <summary>422: the idempotency key was used with a different body.</summary>
        public const string IdempotencyKeyReused = "idempotency_key_reused";

        /// <summary>503: a fault injected with <c>POST /v1/test/faults</c>.</summary>
        public const string SimulatedFault = "simulated_fault";
    }

    private static readonly Dictionary<string, (int Status, string Title)> Catalogue = new(StringComparer.Ordinal)
    {
        [Codes.InvalidRequest] = (StatusCodes.Status400BadRequest, "The request is invalid"),
        [Codes.InvalidCardNumber] = (StatusCodes.Status400BadRequest, "The card number is invalid"),
        [Codes.IntentNotRefundable] = (StatusCodes.Status400BadRequest, "The payment intent cannot be refunded"),
        [Codes.AmountTooLarge] = (StatusCodes.Status400BadRequest, "The refund exceeds the refundable amount"),
        [Codes.ChargeAlreadyRefunded] = (StatusCodes.Status400BadRequest, "The payment is already fully refunded"),
        [Codes.ChargeDisputed] = (StatusCodes.Status400BadRequest, "The payment is disputed"),
        [Codes.Unauthorized] = (StatusCodes.Status401Unauthorized, "Invalid API key"),
        [Codes.InvalidClientSecret] = (StatusCodes.Status403Forbidden, "Invalid client secret"),
        [Codes.PaymentIntentNotFound] = (StatusCodes.Status404NotFound, "Payment intent not found"),
        [Codes.RefundNotFound] = (StatusCodes.Status404NotFound, "Refund not found"),
        [Codes.NotFound] = (StatusCodes.Status404NotFound, "Not found"),
        [Codes.PaymentIntentUnexpectedState] = (StatusCodes.Status409Conflict, "The payment intent is in the wrong state"),
        [Codes.IdempotencyKeyInUse] = (StatusCodes.Status409Conflict, "A request with this idempotency key is in progress"),
        [Codes.IdempotencyKeyReused] = (StatusCodes.Status422UnprocessableEntity, "The idempotency key was used with another request"),
        [Codes.SimulatedFault] = (StatusCodes.Status503ServiceUnavailable, "Service unavailable (simulated fault)"),
    };

    /// <summary>The problem of <paramref name="code"/> (one of <see cref="Codes"/>).</summary>
    public static ProblemHttpResult Problem(string code, string detail, IDictionary<string, string[]>? errors = null) =>
        TypedResults.Problem(Details(code, detail, errors));

    /// <summary>A 400 <c>invalid_request</c> naming one field.</summary>
    public static ProblemHttpResult Invalid(string field, string message) =>
        Problem(Codes.InvalidRequest, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Writes the problem of <paramref name="code"/> outside an endpoint (middleware).</summary>
    public static async Task WriteAsync(HttpContext context, string code, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var details = Details(code, detail, null);
        context.Response.StatusCode = details.Status!.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = details,
        });
    }

    /// <summary>A stable code for problems the framework writes (unknown route, wrong method, unreadable body).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Codes.InvalidRequest,
        StatusCodes.Status401Unauthorized => Codes.Unauthorized,
        StatusCodes.Status404NotFound => Codes.NotFound,
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        _ when status >= 500 => "internal_error",
        _ => "error",
    };

    private static ProblemDetails Details(string code, string detail, IDictionary<string, string[]>? errors)
    {
        var (status, title) = Catalogue[code];
        var details = new ProblemDetails
        {
            Type = TypeBase + code,
            Title = title,
            Status = status,
            Detail = detail,
            Extensions = { ["code"] = code },
        };
        if (errors is not null)
        {
            details.Extensions["errors"] = errors;
        }

        return details;
    }
}
