using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on every <c>POST</c>, scoped per API key (or client secret call) and path: the first request
/// runs and its response (status and body) is stored; the same key and body later replays it
/// (<c>Idempotent-Replayed: true</c>); another body answers 422 <c>idempotency_key_reused</c>; a duplicate while the first
/// still runs answers 409 <c>idempotency_key_in_use</c>. Server errors are not stored, so a retry runs again.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, IOptions<PspOptions> options)
{
    /// <summary>The request header.</summary>
    public const string HeaderName = "Idempotency-Key";

    private readonly string _apiKeyScope = "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey)))[..16];

    /// <summary>Runs, replays or refuses the request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint();
        if (!HttpMethods.IsPost(context.Request.Method) || endpoint is null || !context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > 255)
        {
            await PspProblems.WriteAsync(context, PspProblems.Codes.InvalidRequest, "Idempotency-Key: 1 to 255 characters.");
            return;
        }

        var scope = (endpoint.Metadata.GetMetadata<RequiresApiKeyAttribute>() is null ? "public" : _apiKeyScope) + " " + context.Request.Path;
        var hash = await HashBodyAsync(context.Request);
        var claim = await store.TryBeginAsync(scope, key, hash);
        switch (claim.Result)
        {
            case IdempotencyClaimResult.Reused:
                await PspProblems.WriteAsync(context, PspProblems.Codes.IdempotencyKeyReused, "This Idempotency-Key was used with a different request body.");
                return;
            case IdempotencyClaimResult.InFlight:
                await PspProblems.WriteAsync(context, PspProblems.Codes.IdempotencyKeyInUse, "A request with this Idempotency-Key is still in progress; retry later.");
                return;
            case IdempotencyClaimResult.Replay:
                var stored = claim.Response!;
                context.Response.StatusCode = stored.Status;
                context.Response.ContentType = stored.ContentType;
                context.Response.Headers["Idempotent-Replayed"] = "true";
                await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
                return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await store.ReleaseAsync(scope, key);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode >= 500)
        {
            await store.ReleaseAsync(scope, key);
        }
        else
        {
            await store.CompleteAsync(scope, key, new StoredResponse(context.Response.StatusCode, context.Response.ContentType, buffer.ToArray()));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task<string> HashBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        var hash = await SHA256.HashDataAsync(request.Body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash);
    }
}
