using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Where the cell's PSP sends its events (Standard Webhooks signature). Headers are checked before the body is read and
/// the body is bounded (<see cref="PaymentOptions.WebhookMaxBodyBytes"/>); the reseller comes from the signed event's
/// metadata, never from the caller, and the event is applied to that reseller's database, where a payment event is only
/// a hint: the intent is read again from the PSP before anything is sold (<see cref="PspEventProcessor"/>).
/// </summary>
public static partial class PspWebhooksApi
{
    public static RouteGroupBuilder MapPspWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/psp").WithTags("Payments").ExcludeFromMultiTenantResolution();

        api.MapPost("/webhooks", ReceivePspEvent).WithName("ReceivePspEvent")
            .WithSummary("PSP events (payment succeeded or failed, refund, dispute, early fraud warning), signed by the PSP")
            .AllowAnonymous()
            // its own budget per client address (RateLimiting:PspWebhook), spent before anything is read: a burst of the
            // PSP's events does not spend the anonymous callers' budgets, and a flood of forgeries costs no HMAC
            .WithRateLimitPartition(PartitionKind.PspWebhook)
            // a Content-Length over the PSP's largest event is 413 request_too_large before anything is read
            .WithMetadata(new RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<IOptions<PaymentOptions>>().Value.WebhookMaxBodyBytes));

        return api;
    }

    public static async Task<Results<Ok<PspEventOutcome>, ProblemHttpResult>> ReceivePspEvent(
        HttpContext context,
        IOptions<PaymentOptions> options,
        TimeProvider time,
        IMultiTenantStore<ResellerTenantInfo> store,
        IMultiTenantContextAccessor<ResellerTenantInfo> accessor,
        IMultiTenantContextSetter<ResellerTenantInfo> setter,
        ResellerStorage storage,
        ResellerDataSources dataSources,
        ResellerRedisConnections redis,
        ILogger<PspEventOutcome> logger,
        CancellationToken ct)
    {
        var o = options.Value;
        var headers = context.Request.Headers;
        string? id = headers["webhook-id"], timestamp = headers["webhook-timestamp"], signature = headers["webhook-signature"];
        // nothing is read of a request without fresh signature headers, nor of a body larger than the PSP ever sends
        if (!PspWebhook.HasFreshHeaders(id, timestamp, signature, time.GetUtcNow(), o.WebhookTolerance))
        {
            return InvalidSignature();
        }

        if (await CappedBody.ReadAsync(context.Request, o.WebhookMaxBodyBytes, ct) is not { } bytes)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Type = Problems.TypeBase + "request_too_large",
                Title = "Request too large",
                Status = StatusCodes.Status413PayloadTooLarge,
                Detail = $"A PSP event has at most {o.WebhookMaxBodyBytes} bytes.",
                Extensions = { ["code"] = "request_too_large" },
            });
        }

        var evt = PspWebhook.Verify(Encoding.UTF8.GetString(bytes), id, timestamp, signature, o.WebhookSecret, time.GetUtcNow(), o.WebhookTolerance);
        if (evt is null)
        {
            return InvalidSignature();
        }

        if (evt.Reseller is not { } resellerId || await store.GetAsync(resellerId) is not { } reseller)
        {
            // not this cell's: acknowledged so the PSP stops retrying, and logged for operators
            LogUnknownReseller(logger, evt.Id, evt.Type, evt.Reseller);
            return TypedResults.Ok(new PspEventOutcome(evt.Id, evt.Type, "unknown_reseller"));
        }

        using var scope = setter.Use(reseller, accessor);
        await storage.OpenAsync(dataSources, redis, ct);
        var processor = context.RequestServices.GetRequiredService<PspEventProcessor>();
        var outcome = await processor.ApplyAsync(evt, ct);
        if (outcome == ErrorCodes.PaymentUnavailable)
        {
            // the PSP could not be asked what the event claims: not applied, not recorded; the PSP sends it again
            return Problems.From(new InventoryError(outcome, $"The intent of PSP event '{evt.Id}' could not be read from the PSP; send the event again.",
                RetryAfterSeconds: 5), context);
        }

        return TypedResults.Ok(new PspEventOutcome(evt.Id, evt.Type, outcome));
    }

    private static ProblemHttpResult InvalidSignature() =>
        Problems.Unauthorized("psp.signature_invalid", "The webhook signature, its timestamp or its body is not valid.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP event {EventId} ({Type}) names reseller {Reseller}, which is not in this cell")]
    private static partial void LogUnknownReseller(ILogger logger, string eventId, string type, string? reseller);
}

/// <summary>What the platform did with a PSP event.</summary>
public sealed record PspEventOutcome(string Id, string Type, string Outcome);
