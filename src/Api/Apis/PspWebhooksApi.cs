using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Inventory.Payments;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Where the cell's PSP sends its events (Standard Webhooks signature, checked before anything is read). The reseller
/// comes from the signed event's metadata, never from the caller, and the event is applied to that reseller's database.
/// </summary>
public static partial class PspWebhooksApi
{
    public static RouteGroupBuilder MapPspWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/psp").WithTags("Payments").ExcludeFromMultiTenantResolution();

        api.MapPost("/webhooks", ReceivePspEvent).WithName("ReceivePspEvent")
            .WithSummary("PSP events (payment succeeded or failed, refund, dispute, early fraud warning), signed by the PSP")
            .AllowAnonymous()
            // the PSP's own traffic, proven by its signature (checked before anything else, a cheap HMAC): the per-IP
            // limits for anonymous callers would otherwise throttle a burst of payment events
            .DisableRateLimiting();

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
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(ct);
        var headers = context.Request.Headers;
        var evt = PspWebhook.Verify(body, headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"],
            options.Value.WebhookSecret, time.GetUtcNow(), options.Value.WebhookTolerance);
        if (evt is null)
        {
            return Problems.Unauthorized("psp.signature_invalid", "The webhook signature, its timestamp or its body is not valid.");
        }

        if (evt.Reseller is not { } resellerId || await store.GetAsync(resellerId) is not { } reseller)
        {
            // not this cell's: acknowledged so the PSP stops retrying, and logged for operators
            LogUnknownReseller(logger, evt.Id, evt.Type, evt.Reseller);
            return TypedResults.Ok(new PspEventOutcome(evt.Id, evt.Type, "unknown_reseller"));
        }

        using var scope = setter.Use(reseller, accessor);
        await storage.OpenAsync(dataSources, redis);
        var processor = context.RequestServices.GetRequiredService<PspEventProcessor>();
        var outcome = await processor.ApplyAsync(evt, ct);
        return TypedResults.Ok(new PspEventOutcome(evt.Id, evt.Type, outcome));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP event {EventId} ({Type}) names reseller {Reseller}, which is not in this cell")]
    private static partial void LogUnknownReseller(ILogger logger, string eventId, string type, string? reseller);
}

/// <summary>What the platform did with a PSP event.</summary>
public sealed record PspEventOutcome(string Id, string Type, string Outcome);
