using System.Collections.Concurrent;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// The same sliding window counter as <see cref="RedisSlidingWindow"/>, in this process only: the limiter of requests
/// without a reseller and the fallback while a reseller's Redis is unusable (budgets are then per replica).
/// </summary>
/// <remarks>
/// Memory stays bounded by the callers active within the last two windows: a partition whose windows have both passed
/// holds no information, and a sweep every <see cref="SweepInterval"/> removes it, so millions of one-off callers are
/// forgotten after two windows instead of piling up for the life of the process.
/// </remarks>
internal sealed class InProcessSlidingWindow : IDisposable
{
    /// <summary>How often idle partitions are removed.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<LocalKey, Cell> _cells = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ITimer _sweeper;

    public InProcessSlidingWindow(TimeProvider time)
        : this(time, SweepInterval)
    {
    }

    /// <summary>Creates the limiter sweeping every <paramref name="sweepInterval"/> (infinite: only explicit sweeps).</summary>
    internal InProcessSlidingWindow(TimeProvider time, TimeSpan sweepInterval)
    {
        _time = time;
        _origin = time.GetTimestamp();
        _sweeper = time.CreateTimer(static state => ((InProcessSlidingWindow)state!).Sweep(), this, sweepInterval, sweepInterval);
    }

    /// <summary>Partitions currently tracked.</summary>
    public int Count => _cells.Count;

    /// <summary>Spends <paramref name="cost"/> permits of <paramref name="key"/> of <paramref name="reseller"/> if the budget allows.</summary>
    public RateLimitDecision Acquire(string reseller, string key, WindowPolicy policy, int cost)
    {
        var localKey = new LocalKey(reseller, key);
        var now = NowMillis();
        var index = now / policy.WindowMillis;
        var elapsed = now - (index * policy.WindowMillis);
        while (true)
        {
            var cell = _cells.GetOrAdd(localKey, static _ => new Cell());
            lock (cell)
            {
                if (cell.Removed)
                {
                    // swept meanwhile: make sure it is gone, then start a fresh cell
                    _cells.TryRemove(new KeyValuePair<LocalKey, Cell>(localKey, cell));
                    continue;
                }

                cell.MoveTo(index, policy.WindowMillis);
                var decision = SlidingWindow.Decide(cell.Previous, cell.Current + cost, elapsed, policy, cost);
                if (decision.Allowed)
                {
                    cell.Current += cost;
                }

                return decision;
            }
        }
    }

    /// <summary>Removes partitions whose windows have both passed; returns how many.</summary>
    public int Sweep()
    {
        var now = NowMillis();
        var removed = 0;
        foreach (var (key, cell) in _cells)
        {
            lock (cell)
            {
                if (cell.Removed || now < cell.ForgetAt)
                {
                    continue;
                }

                cell.Removed = true;
            }

            _cells.TryRemove(new KeyValuePair<LocalKey, Cell>(key, cell));
            removed++;
        }

        return removed;
    }

    public void Dispose() => _sweeper.Dispose();

    private long NowMillis() => (long)_time.GetElapsedTime(_origin).TotalMilliseconds;

    private readonly record struct LocalKey(string Reseller, string Key);

    private sealed class Cell
    {
        private long _index = long.MinValue;

        public long Current { get; set; }

        public long Previous { get; private set; }

        public long ForgetAt { get; private set; }

        public bool Removed { get; set; }

        /// <summary>Rolls the counters forward to window <paramref name="index"/>.</summary>
        public void MoveTo(long index, long windowMillis)
        {
            if (index == _index)
            {
                return;
            }

            Previous = index == _index + 1 ? Current : 0;
            Current = 0;
            _index = index;
            ForgetAt = (index + 2) * windowMillis;
        }
    }
}
