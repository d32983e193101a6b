using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// Answers a rejected request: <c>429</c>, <c>Retry-After</c>, the <c>RateLimit-*</c> headers and RFC 9457 problem
/// details (<c>rate_limited</c>) naming the kind of budget that ran out, never its key.
/// </summary>
internal static class RateLimitRejection
{
    /// <summary>Problem code (and last segment of the problem type).</summary>
    public const string Code = "rate_limited";

    /// <summary>The rate limiting middleware's <c>OnRejected</c>.</summary>
    public static async ValueTask WriteAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var lease = context.Lease as ApiRateLimitLease;
        var retryAfter = lease is not null
            ? RateLimitHeaders.RetryAfterSeconds(lease)
            : context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var span)
                ? RateLimitDecision.ToSeconds((long)span.TotalMilliseconds)
                : 1;

        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (lease is not null)
        {
            RateLimitHeaders.Write(http.Response, lease);
        }

        var kind = lease?.Policy?.Description;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Type = Problems.TypeBase + Code,
                Title = "Too many requests",
                Status = StatusCodes.Status429TooManyRequests,
                Detail = kind is null
                    ? $"The rate limit was exceeded; retry after {retryAfter} s."
                    : $"The {kind} rate limit ({lease!.Policy!.Limit} requests per {Describe(lease.Policy.Window)}) was exceeded; retry after {retryAfter} s.",
                Extensions = { ["code"] = Code },
            },
        });
    }

    private static string Describe(TimeSpan window) => window switch
    {
        { TotalDays: 1 } => "day",
        { TotalHours: 1 } => "hour",
        { TotalMinutes: 1 } => "minute",
        { TotalSeconds: 1 } => "second",
        { Seconds: 0, Minutes: 0 } => $"{window.TotalHours:0} hours",
        { Seconds: 0 } => $"{window.TotalMinutes:0} minutes",
        _ => $"{window.TotalSeconds:0} seconds",
    };
}
