using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace TicketAspire.Api.Infrastructure.Shedding;

/// <summary>
/// First thing for every API request: when the process is saturated (<see cref="LoadMeter"/>), answer 503
/// <c>overloaded</c> with <c>Retry-After</c> at once, reads from a lower load than writes, so buyers who hold seats can
/// still pay while browsing waits. Health and discovery endpoints are never shed. A new live-update stream is refused
/// like a read; once open it is not counted as load (it lasts minutes by design).
/// </summary>
public sealed class LoadSheddingMiddleware(RequestDelegate next, LoadMeter meter, IOptionsMonitor<SheddingOptions> options, TimeProvider time)
{
    private static readonly Meter Meter = new("TicketAspire.Api.Shedding");
    private static readonly Counter<long> Shed = Meter.CreateCounter<long>("ticketaspire.api.shed", description: "API requests refused because the process was overloaded");

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var kind = SheddingPolicy.Classify(context.Request.Path, context.Request.Method);
        if (kind == RequestClass.Exempt)
        {
            await next(context);
            return;
        }

        var o = options.CurrentValue;
        if (SheddingPolicy.Sheds(kind, meter.Load, o))
        {
            Shed.Add(1, new KeyValuePair<string, object?>("class", kind.ToString().ToLowerInvariant()));
            context.Response.Headers.RetryAfter = o.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "overloaded", "Service overloaded",
                kind is RequestClass.Browse or RequestClass.Stream
                    ? "The service is busy and serves purchases first; browse again after Retry-After seconds."
                    : "The service is overloaded; try again after Retry-After seconds.");
            return;
        }

        if (kind == RequestClass.Stream)
        {
            await next(context);
            return;
        }

        var started = time.GetTimestamp();
        meter.Enter();
        try
        {
            await next(context);
        }
        finally
        {
            meter.Exit(kind, time.GetElapsedTime(started));
        }
    }
}
