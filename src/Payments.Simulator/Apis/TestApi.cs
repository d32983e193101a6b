using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketAspire.Payments.Simulator.Infrastructure;

namespace TicketAspire.Payments.Simulator.Apis;

/// <summary>Test controls (API key): faults on demand and the webhooks sent.</summary>
public static class TestApi
{
    /// <summary>Maps <c>/v1/test</c>.</summary>
    public static RouteGroupBuilder MapTestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/test").WithTags("Test controls").WithMetadata(new RequiresApiKeyAttribute());

        api.MapPost("/faults", ArmFault)
            .WithName("ArmFault").WithSummary("Make the next calls of an operation fail (error: 503; timeout: done, answer held)");
        api.MapDelete("/faults", ClearFaults)
            .WithName("ClearFaults").WithSummary("Disarm every fault");
        api.MapGet("/webhooks", ListWebhooksAsync)
            .WithName("ListWebhooks").WithSummary("Webhook events stored, oldest first, with their delivery state");

        return api;
    }

    private static Results<Ok<FaultResponse>, ProblemHttpResult> ArmFault(FaultRequest request, FaultInjector faults, ILogger<FaultInjector> logger)
    {
        if (request.Operation is not { } operation || (operation != "*" && !PspOperation.All.Contains(operation)))
        {
            return PspProblems.Invalid("operation", "create_intent, retrieve_intent, confirm_intent, create_refund, retrieve_refund or *");
        }

        FaultKind? kind = request.Kind switch { "error" => FaultKind.Error, "timeout" => FaultKind.Timeout, _ => null };
        if (kind is null) { return PspProblems.Invalid("kind", "error or timeout"); }
        var count = request.Count ?? 1;
        if (count is < 1 or > 1000) { return PspProblems.Invalid("count", "1..1000"); }

        faults.Arm(operation, kind.Value, count);
        Log.FaultArmed(logger, count, operation, request.Kind!);
        return TypedResults.Ok(new FaultResponse(operation, request.Kind!, count));
    }

    private static NoContent ClearFaults(FaultInjector faults)
    {
        faults.Clear();
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WebhookList>> ListWebhooksAsync(WebhookOutbox outbox, [FromQuery] string? type, [FromQuery(Name = "payment_intent")] string? paymentIntent) =>
        TypedResults.Ok(new WebhookList(await outbox.ListAsync(type, paymentIntent)));
}

/// <summary>Body of <c>POST /v1/test/faults</c>.</summary>
public sealed record FaultRequest(string? Operation, string? Kind, int? Count);

/// <summary>The armed fault.</summary>
public sealed record FaultResponse(string Operation, string Kind, int Count);

/// <summary>Answer of <c>GET /v1/test/webhooks</c>.</summary>
public sealed record WebhookList(IReadOnlyList<WebhookDelivery> Data)
{
    /// <summary>Always <c>list</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
