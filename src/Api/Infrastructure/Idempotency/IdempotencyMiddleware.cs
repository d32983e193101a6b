using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on the endpoints marked with <see cref="IdempotencyMetadata"/> (hold, payment, confirm), per
/// draft-ietf-httpapi-idempotency-key-header. The first request with a key claims it in the reseller's database; its
/// answer is stored, and a later request with the same key and body gets that answer again (<c>Idempotent-Replayed:
/// true</c>). Same key, other body or endpoint → 422 <c>idempotency_key_reused</c>; the first request still running →
/// 409 <c>idempotency_key_in_use</c>. Answers a retry should not repeat are not stored (5xx, 202 pending, 408, 429): the
/// key is released so the retry runs. Keys are per caller; without the header the request runs as always.
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options, TimeProvider time,
    ILogger<IdempotencyMiddleware> logger)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, IMultiTenantContextAccessor<ResellerTenantInfo> tenant, ResellerStorage storage)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotencyMetadata>() is null
            || !context.Request.Headers.TryGetValue(IdempotencyKey.HeaderName, out var header)
            || !tenant.MultiTenantContext.IsResolved)
        {
            await next(context);
            return;
        }

        if (header.Count != 1 || !IdempotencyKey.TryParse(header[0], out var key))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "idempotency_key_invalid", "Invalid Idempotency-Key",
                $"Idempotency-Key must be one string of 1 to {IdempotencyKey.MaxLength} printable ASCII characters.");
            return;
        }

        var body = await ReadBodyAsync(context, options.Value.MaxBodyBytes);
        if (body is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large", "Request too large",
                $"A request with an Idempotency-Key may have at most {options.Value.MaxBodyBytes} bytes of body.");
            return;
        }

        var actor = context.GetActor();
        var actorKey = $"{actor.Kind.ToString().ToLowerInvariant()}:{actor.Subject ?? actor.ClientId}";
        var method = context.Request.Method;
        // one key, one endpoint: /V1/holds/… is the same endpoint as /v1/holds/…
        var path = ApiPaths.Canonical(context.Request.Path);
        var hash = SHA256.HashData(body);
        var db = storage.Db;
        var now = time.GetUtcNow();
        if (!await IdempotencyStore.TryClaimAsync(db, actorKey, key, method, path, hash, now, now + options.Value.Retention,
            now - options.Value.AbandonedAfter, context.RequestAborted))
        {
            await AnswerFromStoreAsync(context, db, actorKey, key, method, path, hash, now);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch (Exception failure)
        {
            context.Response.Body = original;
            if (DatabaseFailures.IsUnavailable(failure) || DatabaseGate.IsOutage(context))
            {
                // the database went away under the request: releasing would only wait for it again. The key stays claimed
                // (a retry gets 409 idempotency_key_in_use) for IdempotencyOptions.AbandonedAfter: the request may have
                // committed before the connection broke, and a retry soon after the database is back should not run it twice
                LogNotReleased(logger, actorKey, key);
            }
            else
            {
                await IdempotencyStore.ReleaseAsync(db, actorKey, key);
            }

            throw;
        }

        context.Response.Body = original;
        var status = context.Response.StatusCode;
        var bytes = buffer.ToArray();
        if (IsFinal(status))
        {
            await IdempotencyStore.CompleteAsync(db, actorKey, key, status, context.Response.ContentType,
                context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, bytes, time.GetUtcNow());
        }
        else if (DatabaseGate.IsOutage(context))
        {
            // answered 503 because the database is out of reach: releasing would only wait for it (see above)
            LogNotReleased(logger, actorKey, key);
        }
        else
        {
            await IdempotencyStore.ReleaseAsync(db, actorKey, key);
        }

        await original.WriteAsync(bytes, CancellationToken.None);
    }

    /// <summary>True for answers a retry with the same key should get again.</summary>
    public static bool IsFinal(int status) =>
        status is >= 200 and < 500 and not StatusCodes.Status202Accepted and not StatusCodes.Status408RequestTimeout
            and not StatusCodes.Status429TooManyRequests;

    private async Task AnswerFromStoreAsync(HttpContext context, Npgsql.NpgsqlDataSource db, string actor, string key, string method, string path,
        byte[] hash, DateTimeOffset now)
    {
        var stored = await IdempotencyStore.FindAsync(db, actor, key, now, context.RequestAborted);
        if (stored is not null && (stored.Method != method || stored.Path != path || !CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash)))
        {
            LogReused(logger, actor, key);
            await Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Idempotency-Key reused",
                "This Idempotency-Key was used for a different request; use a new key for a new request.");
            return;
        }

        if (stored?.Status is not { } status)
        {
            // still running, or just released by a failed first request: either way, try again shortly
            context.Response.Headers.RetryAfter = "1";
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, "idempotency_key_in_use", "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry after it finished.");
            return;
        }

        context.Response.StatusCode = status;
        context.Response.Headers[IdempotencyKey.ReplayedHeaderName] = "true";
        if (stored.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType;
        }

        if (stored.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        await context.Response.Body.WriteAsync(stored.Body ?? [], context.RequestAborted);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        context.Request.EnableBuffering(bufferThreshold: 30 * 1024, bufferLimit: maxBytes + 1L);
        using var copy = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            copy.Write(chunk, 0, read);
            if (copy.Length > maxBytes)
            {
                return null;
            }
        }

        context.Request.Body.Position = 0;
        return copy.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency-Key {Key} of {Actor} stays claimed: the database went out of reach during the request")]
    private static partial void LogNotReleased(ILogger logger, string actor, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency-Key {Key} of {Actor} was reused for a different request")]
    private static partial void LogReused(ILogger logger, string actor, string key);
}
