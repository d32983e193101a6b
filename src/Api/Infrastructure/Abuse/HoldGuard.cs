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
/// The edge's part of deciding whether a hold attempt may go ahead, before any seat is touched: the device id and
/// velocity per account and per device (<see cref="HoldVelocity"/>). Hold-without-confirm blocks are the inventory
/// core's rule (<see cref="HoldService"/> with <see cref="AccountBlocks"/>); the guard records what the core decided.
/// Each refusal and each block started is written to the reseller's audit log (<c>HoldVelocityRefused</c>,
/// <c>AbuseBlock</c>, <c>AbuseBlockRefused</c>). The device is <c>X-Device-Id</c> when the storefront sends one the API
/// issued (<see cref="DeviceIds"/>; any other value is refused, so a made-up id per request opens no fresh budget), else
/// the client address of an end user or anonymous caller; an integrator's address is its back end, so without the
/// header it has no device limit.
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

    /// <summary>
    /// Null with the request's <paramref name="device"/> (null: none, or the guard is off) when its device id header is
    /// absent or issued by the API; else the 400 problem to answer.
    /// </summary>
    public ProblemHttpResult? CheckDevice(HttpContext context, out string? device)
    {
        ArgumentNullException.ThrowIfNull(context);
        device = null;
        if (!options.Value.Enabled || TryGetDevice(context, deviceIds, storage.Tenant.Id, out device))
        {
            return null;
        }

        return TypedResults.Problem(new ProblemDetails
        {
            Type = Problems.TypeBase + "device_id_invalid",
            Title = "Device id not issued by the API",
            Status = StatusCodes.Status400BadRequest,
            Detail = $"{DeviceHeader} must be a device id from POST /v1/devices of this reseller; leave the header out without one.",
            Extensions = { ["code"] = "device_id_invalid" },
        });
    }

    /// <summary>
    /// Spends one hold attempt of <paramref name="customerRef"/> and of <paramref name="device"/>: null when both budgets
    /// allow it (or the guard is off), else the budget it is over (answer it with <see cref="RefuseAsync"/>).
    /// </summary>
    public async Task<VelocityRefusal?> SpendAsync(string customerRef, string? device)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var reseller = storage.Tenant;
        return await velocity.CheckAsync(reseller.Id, await redis.GetAsync(reseller), customerRef, device);
    }

    /// <summary>Audits a velocity refusal and gives the 429 problem to answer (Retry-After set on the response).</summary>
    public async Task<ProblemHttpResult> RefuseAsync(HttpContext context, string customerRef, string? device, VelocityRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(refusal);
        await AuditAsync(context, "HoldVelocityRefused", refusal.Budget == "account" ? "customer:" + customerRef : "device:" + device);
        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(new ProblemDetails
        {
            Type = Problems.TypeBase + "hold_velocity_exceeded",
            Title = "Too many hold attempts",
            Status = StatusCodes.Status429TooManyRequests,
            Detail = $"At most {refusal.Limit} hold attempts per {refusal.Budget} in {refusal.Window}; try again later.",
            Extensions = { ["budget"] = refusal.Budget, ["limit"] = refusal.Limit, ["code"] = "hold_velocity_exceeded" },
        });
    }

    /// <summary>
    /// Records the core's refusal of a blocked account: <c>AbuseBlock</c> when this attempt started the block (and a
    /// warning in the log), else <c>AbuseBlockRefused</c>.
    /// </summary>
    public async Task RecordBlockAsync(HttpContext context, string customerRef, AccountStanding standing)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(standing);
        if (standing.BlockStarted)
        {
            LogBlocked(logger, customerRef, standing.Unconfirmed, standing.BlockedUntil!.Value);
            await AuditAsync(context, "AbuseBlock", "customer:" + customerRef);
        }
        else
        {
            await AuditAsync(context, "AbuseBlockRefused", "customer:" + customerRef);
        }
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

        if (context.GetActor().Kind is ActorKind.Customer or ActorKind.Guest or ActorKind.Anonymous && context.Connection.RemoteIpAddress is { } ip)
        {
            device = RateLimiting.ApiPartitioner.IpKey("ip:", ip);   // IPv6 per /64, as the rate limiter counts
        }

        return true;
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
