using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Abuse;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Device ids for the hold guard's per-device budget: a buyer's browser asks once (the reseller comes from the host) and
/// the storefront sends the id as <c>X-Device-Id</c> with its holds. Ids are signed, not stored; each client address may
/// get <c>RateLimiting:DeviceIds</c> of them (20 an hour), so new devices cannot be conjured per request.
/// </summary>
public static class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/devices").WithTags("Devices");

        api.MapPost("/", IssueDeviceId).WithName("IssueDeviceId")
            .WithSummary("A device id for X-Device-Id (public; a budget per client address)");

        return api;
    }

    public static async Task<Results<Ok<DeviceIdView>, ProblemHttpResult>> IssueDeviceId(
        HttpContext context, DeviceIds ids, HoldVelocity velocity, ResellerStorage storage, ResellerRedisConnections redis)
    {
        var reseller = storage.Tenant;
        if (await velocity.CheckIssueAsync(reseller.Id, await redis.GetAsync(reseller), context.Connection.RemoteIpAddress) is { } refused)
        {
            context.Response.Headers.RetryAfter = refused.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(new ProblemDetails
            {
                Type = Problems.TypeBase + "device_ids_exceeded",
                Title = "Too many device ids",
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"At most {refused.Limit} device ids per client address in {refused.Window}; keep the one you have.",
                Extensions = { ["code"] = "device_ids_exceeded", ["limit"] = refused.Limit },
            });
        }

        return TypedResults.Ok(new DeviceIdView(ids.Issue(reseller.Id), HoldGuard.DeviceHeader));
    }
}

/// <summary>An issued device id and the header it goes in.</summary>
public sealed record DeviceIdView(string DeviceId, string Header);
