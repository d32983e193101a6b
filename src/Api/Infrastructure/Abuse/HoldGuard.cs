using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure.Audit;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Infrastructure.Abuse;

/// <summary>
/// Decides whether a hold attempt may go ahead, before any seat is touched: velocity per account and per device
/// (<see cref="HoldVelocity"/>), and hold-without-confirm blocks (<see cref="AccountBlocks"/>). Each refusal and each
/// block started is written to the reseller's audit log (<c>HoldVelocityRefused</c>, <c>AbuseBlock</c>,
/// <c>AbuseBlockRefused</c>). The device is <c>X-Device-Id</c> when the storefront sends one the API issued
/// (<see cref="DeviceIds"/>; any other value is refused, so a made-up id per request opens no fresh budget), else the
/// client address of an end user or anonymous caller; an integrator's address is its back end, so without the header it
/// has no device limit.
/// </summary>
public sealed partial class HoldGuard(
    HoldVelocity velocity,
    DeviceIds deviceIds,
    ResellerStorage storage,
    ResellerRedisConnections redis,
    AuditWriter audit,
    IOptions<AbuseOptions> options,
    TimeProvider time,
    ILogger<HoldGuard> logger)
{
    /// <summary>The storefront's device id header.</summary>
    public const string DeviceHeader = "X-Device-Id";

    /// <summary>Null when the attempt may proceed; else the 429 problem to answer (Retry-After set on the response).</summary>
    public async Task<ProblemHttpResult?> CheckAsync(HttpContext context, string customerRef, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled)
        {
            return null;
        }

        var reseller = storage.Tenant;
        if (!TryGetDevice(context, deviceIds, reseller.Id, out var device))
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Type = Problems.TypeBase + "device_id_invalid",
                Title = "Device id not issued by the API",
                Status = StatusCodes.Status400BadRequest,
                Detail = $"{DeviceHeader} must be a device id from POST /v1/devices of this reseller; leave the header out without one.",
                Extensions = { ["code"] = "device_id_invalid" },
            });
        }

        // the velocity windows (Redis) and the block check (Postgres) are independent: one round trip's wait for both
        var standingTask = new AccountBlocks(storage.Db, time).CheckAsync(customerRef, o.UnconfirmedWindow, o.MaxUnconfirmedHolds, o.BlockFor, ct);
        var refusal = await velocity.CheckAsync(reseller.Id, await redis.GetAsync(reseller), customerRef, device);
        var standing = await standingTask;

        if (standing.BlockStarted)
        {
            LogBlocked(logger, customerRef, standing.Unconfirmed, standing.BlockedUntil!.Value);
            await AuditAsync(context, "AbuseBlock", "customer:" + customerRef);
        }

        if (standing.IsBlocked)
        {
            if (!standing.BlockStarted)
            {
                await AuditAsync(context, "AbuseBlockRefused", "customer:" + customerRef);
            }

            var seconds = (long)Math.Ceiling(Math.Max(1, (standing.BlockedUntil!.Value - time.GetUtcNow()).TotalSeconds));
            return TooMany(context, "account_blocked", "Account blocked from holds", seconds,
                $"Too many holds of this account lapsed or were cancelled without purchase; new holds are refused until {standing.BlockedUntil:O}.",
                new() { ["blocked_until"] = standing.BlockedUntil });
        }

        if (refusal is not null)
        {
            await AuditAsync(context, "HoldVelocityRefused", refusal.Budget == "account" ? "customer:" + customerRef : "device:" + device);
            return TooMany(context, "hold_velocity_exceeded", "Too many hold attempts", refusal.RetryAfterSeconds,
                $"At most {refusal.Limit} hold attempts per {refusal.Budget} in {refusal.Window}; try again later.",
                new() { ["budget"] = refusal.Budget, ["limit"] = refusal.Limit });
        }

        return null;
    }

    /// <summary>
    /// The device of a request: an issued <c>X-Device-Id</c> of <paramref name="reseller"/>, else an end user's or anonymous
    /// caller's client address, else none (an integrator without the header). False when the header holds anything else.
    /// </summary>
    public static bool TryGetDevice(HttpContext context, DeviceIds ids, string reseller, out string? device)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ids);
        device = null;
        if (context.Request.Headers.TryGetValue(DeviceHeader, out var header))
        {
            if (header.Count != 1 || !ids.IsIssued(reseller, header[0]))
            {
                return false;
            }

            device = "id:" + header[0];
            return true;
        }

        if (context.GetActor().Kind is ActorKind.Customer or ActorKind.Anonymous && context.Connection.RemoteIpAddress is { } ip)
        {
            device = RateLimiting.ApiPartitioner.IpKey("ip:", ip);   // IPv6 per /64, as the rate limiter counts
        }

        return true;
    }

    private static ProblemHttpResult TooMany(HttpContext context, string code, string title, long retryAfterSeconds, string detail, Dictionary<string, object?> extensions)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        extensions["code"] = code;
        return TypedResults.Problem(new ProblemDetails
        {
            Type = Problems.TypeBase + code,
            Title = title,
            Status = StatusCodes.Status429TooManyRequests,
            Detail = detail,
            Extensions = extensions,
        });
    }

    private ValueTask AuditAsync(HttpContext context, string action, string resource)
    {
        var actor = context.GetActor();
        return audit.EnqueueAsync(storage.Db, new AuditEntry(time.GetUtcNow(), actor.Kind.ToString().ToLowerInvariant(), actor.Subject, actor.ClientId,
            action, context.Request.Method, context.Request.Path.Value ?? "", resource, StatusCodes.Status429TooManyRequests,
            context.Connection.RemoteIpAddress?.ToString(), Activity.Current?.TraceId.ToString()), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Customer} blocked from holds until {Until}: {Unconfirmed} holds without purchase")]
    private static partial void LogBlocked(ILogger logger, string customer, int unconfirmed, DateTimeOffset until);
}
