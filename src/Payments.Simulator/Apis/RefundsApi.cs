using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Payments.Simulator.Infrastructure;
using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Apis;

/// <summary>Refunds of succeeded intents; they succeed synchronously and send <c>charge.refunded</c>.</summary>
public static class RefundsApi
{
    /// <summary>Longest <c>reason</c> of a refund; a longer one is refused with 400 <c>invalid_request</c> (the platform checks it first).</summary>
    public const int MaxReasonLength = 200;

    /// <summary>Maps <c>/v1/refunds</c>.</summary>
    public static RouteGroupBuilder MapRefundsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/refunds").WithTags("Refunds");

        api.MapPost("", CreateAsync)
            .WithName("CreateRefund").WithSummary("Refund (part of) a succeeded payment intent")
            .WithMetadata(new RequiresApiKeyAttribute(), new PspOperation(PspOperation.CreateRefund));
        api.MapGet("/{id}", GetAsync)
            .WithName("GetRefund").WithSummary("Retrieve a refund")
            .WithMetadata(new RequiresApiKeyAttribute(), new PspOperation("retrieve_refund"));

        return api;
    }

    private static async Task<Results<Ok<Refund>, ProblemHttpResult>> CreateAsync(CreateRefundRequest request, PaymentStore store)
    {
        if (string.IsNullOrWhiteSpace(request.PaymentIntent)) { return PspProblems.Invalid("payment_intent", "required"); }
        if (request.Amount is < 1) { return PspProblems.Invalid("amount", "a positive amount in minor units"); }
        if (request.Reason is { Length: > MaxReasonLength }) { return PspProblems.Invalid("reason", $"at most {MaxReasonLength} characters"); }

        var result = await store.CreateRefundAsync(request.PaymentIntent, request.Amount, request.Reason);
        return result.Value is { } refund ? TypedResults.Ok(refund) : PspProblems.Problem(result.ErrorCode!, result.Detail!);
    }

    private static async Task<Results<Ok<Refund>, ProblemHttpResult>> GetAsync(string id, PaymentStore store) =>
        await store.GetRefundAsync(id) is { } refund
            ? TypedResults.Ok(refund)
            : PspProblems.Problem(PspProblems.Codes.RefundNotFound, $"No refund '{id}'.");
}

/// <summary>Body of <c>POST /v1/refunds</c>; <c>amount</c> defaults to what remains refundable.</summary>
public sealed record CreateRefundRequest(string? PaymentIntent, long? Amount, string? Reason);
