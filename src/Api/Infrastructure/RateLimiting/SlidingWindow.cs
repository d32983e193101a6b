namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// The sliding window counter: a request is allowed when the previous fixed window's count, weighted by how much of it
/// still overlaps the sliding window, plus the current window's count including this request, is within the limit.
/// The same arithmetic runs in Lua (<see cref="RedisSlidingWindow.Script"/>) and in process.
/// </summary>
internal static class SlidingWindow
{
    /// <summary>Decides for a request of <paramref name="cost"/> permits.</summary>
    /// <param name="previous">Requests counted in the previous window.</param>
    /// <param name="counted">Requests counted in the current window, this one included.</param>
    /// <param name="elapsed">Milliseconds since the current window began.</param>
    /// <param name="policy">The rule.</param>
    /// <param name="cost">Permits this request spends.</param>
    public static RateLimitDecision Decide(long previous, long counted, long elapsed, WindowPolicy policy, int cost)
    {
        var window = policy.WindowMillis;
        var weighted = previous * (window - elapsed) / window;
        if (weighted + counted <= policy.Limit)
        {
            return new RateLimitDecision(true, policy.Limit - weighted - counted, 0, window - elapsed);
        }

        return new RateLimitDecision(false, 0, RetryAfter(previous, counted - cost, elapsed, policy, cost), window - elapsed);
    }

    /// <summary>
    /// How long until <c>floor(previous × (W − e) / W) + before + cost ≤ limit</c> holds, if nobody else spends:
    /// later in this window when the current count leaves room, else in the next window once this one has slid far
    /// enough out.
    /// </summary>
    private static long RetryAfter(long previous, long before, long elapsed, WindowPolicy policy, int cost)
    {
        var window = policy.WindowMillis;
        var room = policy.Limit - before - cost;
        if (room >= 0 && previous > 0)
        {
            return Math.Max(1, Until(previous, room, window) - elapsed);
        }

        var nextRoom = policy.Limit - cost;
        if (nextRoom < 0)
        {
            return 2 * window - elapsed;
        }

        return window - elapsed + (before > nextRoom ? Until(before, nextRoom, window) : 0);
    }

    /// <summary>The first elapsed time at which <c>floor(count × (W − e) / W) ≤ room</c>.</summary>
    private static long Until(long count, long room, long window) => window - ((room + 1) * window / count) + 1;
}
