using System.Collections.Concurrent;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// A small circuit breaker per reseller: after its Redis failed, requests go straight to the in-process limiter for
/// <see cref="RateLimitOptions.RedisRetryDelay"/> instead of each waiting for a timeout, then one request probes. So a
/// slow Redis delays at most one request per retry delay. Warns at most once per
/// <see cref="RateLimitOptions.WarningInterval"/> per reseller, and says when Redis is used again.
/// </summary>
internal sealed class RedisFallbackGate(TimeProvider time, RateLimitOptions options, ILogger logger)
{
    private const long Never = long.MinValue;

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the reseller's Redis should be asked now: always while it works; after a failure, once the retry delay
    /// has passed, by a single probing request while the others stay in process until the probe has answered.
    /// </summary>
    public bool ShouldTry(string reseller)
    {
        if (!_states.TryGetValue(reseller, out var state))
        {
            return true;
        }

        var failedAt = Volatile.Read(ref state.FailedAt);
        if (failedAt == Never)
        {
            return true;
        }

        return time.GetElapsedTime(failedAt) >= options.RedisRetryDelay
            && Interlocked.CompareExchange(ref state.FailedAt, time.GetTimestamp(), failedAt) == failedAt;
    }

    /// <summary>Records a failure (and warns, unless it warned for this reseller within the interval).</summary>
    public void Failed(string reseller, string reason, Exception? exception)
    {
        var state = _states.GetOrAdd(reseller, static _ => new State());
        var now = time.GetTimestamp();
        Volatile.Write(ref state.FailedAt, now);
        var lastWarning = Volatile.Read(ref state.LastWarningAt);
        if ((lastWarning == Never || time.GetElapsedTime(lastWarning, now) >= options.WarningInterval)
            && Interlocked.CompareExchange(ref state.LastWarningAt, now, lastWarning) == lastWarning)
        {
            logger.LogWarning(exception,
                "Rate limiting of reseller {Reseller} falls back to the in-process limiter (budgets per replica): {Reason}",
                reseller, reason);
        }
    }

    /// <summary>Records a success (and says so once after failures).</summary>
    public void Succeeded(string reseller)
    {
        if (_states.TryGetValue(reseller, out var state)
            && Volatile.Read(ref state.FailedAt) is var failedAt && failedAt != Never
            && Interlocked.CompareExchange(ref state.FailedAt, Never, failedAt) == failedAt)
        {
            logger.LogInformation("Rate limiting of reseller {Reseller} uses its Redis again", reseller);
        }
    }

    private sealed class State
    {
        public long FailedAt = Never;
        public long LastWarningAt = Never;
    }
}
