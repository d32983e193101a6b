using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Payments.Simulator.Infrastructure;
using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Apis;

/// <summary>Payment intents: created and read by the platform, confirmed by the buyer's browser with the client secret.</summary>
public static class PaymentIntentsApi
{
    /// <summary>Maps <c>/v1/payment_intents</c>.</summary>
    public static RouteGroupBuilder MapPaymentIntentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/payment_intents").WithTags("Payment intents");

        api.MapPost("", CreateAsync)
            .WithName("CreatePaymentIntent").WithSummary("Create a payment intent (requires_confirmation)")
            .WithMetadata(new RequiresApiKeyAttribute(), new PspOperation(PspOperation.CreateIntent));
        api.MapGet("/{id}", GetAsync)
            .WithName("GetPaymentIntent").WithSummary("Retrieve a payment intent")
            .WithMetadata(new RequiresApiKeyAttribute(), new PspOperation(PspOperation.RetrieveIntent));
        api.MapPost("/{id}/confirm", ConfirmAsync)
            .WithName("ConfirmPaymentIntent").WithSummary("Confirm a payment intent with a card (authenticated by the client secret)")
            .WithMetadata(new PspOperation(PspOperation.ConfirmIntent));

        return api;
    }

    private static async Task<Results<Ok<PaymentIntent>, ProblemHttpResult>> CreateAsync(CreatePaymentIntentRequest request, PaymentStore store)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Amount is not (>= 1 and <= 99_999_999)) { errors["amount"] = ["required: an integer amount in minor units, 1..99999999"]; }
        if (request.Currency is not { Length: 3 } || !request.Currency.All(char.IsAsciiLetter)) { errors["currency"] = ["required: an ISO 4217 code such as EUR"]; }
        if (request.Description is { Length: > 1000 }) { errors["description"] = ["at most 1000 characters"]; }
        var metadata = request.Metadata ?? [];
        if (metadata.Count > 50 || metadata.Any(m => m.Key.Length is 0 or > 40 || m.Value is null || m.Value.Length > 500))
        {
            errors["metadata"] = ["at most 50 string values; keys 1..40 characters, values up to 500"];
        }

        if (errors.Count > 0)
        {
            return PspProblems.Problem(PspProblems.Codes.InvalidRequest, "The payment intent is invalid: " + string.Join(", ", errors.Keys), errors);
        }

        var intent = await store.CreateIntentAsync(request.Amount!.Value, request.Currency!.ToUpperInvariant(), request.Description, metadata);
        return TypedResults.Ok(intent);
    }

    private static async Task<Results<Ok<PaymentIntent>, ProblemHttpResult>> GetAsync(string id, PaymentStore store) =>
        await store.GetIntentAsync(id) is { } intent
            ? TypedResults.Ok(intent)
            : PspProblems.Problem(PspProblems.Codes.PaymentIntentNotFound, $"No payment intent '{id}'.");

    private static async Task<Results<Ok<PaymentIntent>, ProblemHttpResult>> ConfirmAsync(string id, ConfirmPaymentIntentRequest request, PaymentStore store)
    {
        // who may confirm comes first: an unknown intent is 404, a wrong secret 403, only then is the card looked at
        var current = await store.GetIntentAsync(id);
        if (current is null)
        {
            return PspProblems.Problem(PspProblems.Codes.PaymentIntentNotFound, $"No payment intent '{id}'.");
        }

        if (string.IsNullOrEmpty(request.ClientSecret) || !string.Equals(request.ClientSecret, current.ClientSecret, StringComparison.Ordinal))
        {
            return PspProblems.Problem(PspProblems.Codes.InvalidClientSecret, "The client_secret does not belong to this payment intent.");
        }

        if (string.IsNullOrWhiteSpace(request.CardNumber)) { return PspProblems.Invalid("card_number", "required"); }
        if (request.ExpMonth is < 1 or > 12) { return PspProblems.Invalid("exp_month", "1..12"); }
        if (request.ExpYear is < 2000 or > 2100) { return PspProblems.Invalid("exp_year", "a four-digit year"); }
        if (request.Cvc is { } cvc && (cvc.Length is < 3 or > 4 || !cvc.All(char.IsAsciiDigit))) { return PspProblems.Invalid("cvc", "3 or 4 digits"); }

        var result = await store.ConfirmAsync(id, request.ClientSecret, request.CardNumber.Replace(" ", "", StringComparison.Ordinal));
        return result.Value is { } intent ? TypedResults.Ok(intent) : PspProblems.Problem(result.ErrorCode!, result.Detail!);
    }
}

/// <summary>Body of <c>POST /v1/payment_intents</c>.</summary>
public sealed record CreatePaymentIntentRequest(long? Amount, string? Currency, string? Description, Dictionary<string, string>? Metadata);

/// <summary>Body of <c>POST /v1/payment_intents/{id}/confirm</c> (any expiry and CVC are accepted).</summary>
public sealed record ConfirmPaymentIntentRequest(string? ClientSecret, string? CardNumber, int? ExpMonth, int? ExpYear, string? Cvc);
