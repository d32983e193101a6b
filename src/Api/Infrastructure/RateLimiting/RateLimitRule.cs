namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// One budget: at most <see cref="PermitLimit"/> requests per <see cref="Window"/>, counted over a sliding window (the
/// previous fixed window's requests count in proportion to how much of it the sliding window still covers), so there
/// is no double burst at window boundaries. A caller that has been quiet for a whole window may send
/// <see cref="PermitLimit"/> requests back to back.
/// </summary>
public sealed class RateLimitRule
{
    /// <summary>Creates an empty rule (configuration binding).</summary>
    public RateLimitRule()
    {
    }

    /// <summary>Creates a rule of <paramref name="permitLimit"/> requests per <paramref name="window"/>.</summary>
    public RateLimitRule(int permitLimit, TimeSpan window)
    {
        PermitLimit = permitLimit;
        Window = window;
    }

    /// <summary>Requests allowed per window (and the largest burst); 1 to 1,000,000.</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window, e.g. <c>00:01:00</c>; 1 second to 1 day.</summary>
    public TimeSpan Window { get; set; }
}
