using System.Globalization;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (seconds until the budget is full
/// again), as in the IETF rate limit header fields draft, and <c>Retry-After</c> (whole seconds, at least 1) on rejections.
/// </summary>
internal static class RateLimitHeaders
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";

    /// <summary>Writes the headers of a decided lease.</summary>
    public static void Write(HttpResponse response, ApiRateLimitLease lease)
    {
        if (lease.Policy is not { } policy)
        {
            return;
        }

        var headers = response.Headers;
        headers[Limit] = policy.LimitHeader;
        headers[Remaining] = Math.Max(0, lease.Decision.Remaining).ToString(CultureInfo.InvariantCulture);
        headers[Reset] = RateLimitDecision.ToSecondsOrZero(lease.Decision.ResetMillis).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Retry-After of a rejection, in whole seconds (at least 1).</summary>
    public static long RetryAfterSeconds(ApiRateLimitLease lease) => RateLimitDecision.ToSeconds(lease.Decision.RetryAfterMillis);
}
