namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>The outcome of one limiter step, from Redis or from the in-process limiter.</summary>
/// <param name="Allowed">Whether the request may proceed (only then were permits spent).</param>
/// <param name="Remaining">Permits left right now.</param>
/// <param name="RetryAfterMillis">For a rejection, how long until the same request would be allowed.</param>
/// <param name="ResetMillis">How long until the current window ends and its requests start to count less.</param>
internal readonly record struct RateLimitDecision(bool Allowed, long Remaining, long RetryAfterMillis, long ResetMillis)
{
    /// <summary>Whole seconds, rounded up, at least one (the form of <c>Retry-After</c>).</summary>
    public static long ToSeconds(long millis) => Math.Max(1, (millis + 999) / 1000);

    /// <summary>Whole seconds, rounded up, possibly zero (the form of <c>RateLimit-Reset</c>).</summary>
    public static long ToSecondsOrZero(long millis) => millis <= 0 ? 0 : (millis + 999) / 1000;
}
