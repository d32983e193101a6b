using System.Diagnostics;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// Latencies of one request kind of the on-sale: an HdrHistogram over the whole run (µs, 3 digits) and one per second
/// since the sale opened (2 digits, for percentiles over time), plus answers by status. Thread-safe (one lock; the
/// request rate of the bench is a few thousand per second at most).
/// </summary>
public sealed class PhaseStats(string name, long origin)
{
    private const long MaxMicros = 60_000_000;
    private readonly Lock _lock = new();
    private readonly List<LongHistogram?> _perSecond = [];
    private readonly SortedDictionary<string, long> _statuses = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public LongHistogram Total { get; } = new(MaxMicros, 3);

    /// <summary>Records one request that started at <paramref name="started"/> (Stopwatch ticks) and just ended.</summary>
    public void Record(long started, string status)
    {
        var now = Stopwatch.GetTimestamp();
        var micros = Math.Clamp((now - started) * 1_000_000 / Stopwatch.Frequency, 1, MaxMicros);
        var second = (int)Math.Max(0, (now - Volatile.Read(ref _origin)) / Stopwatch.Frequency);
        lock (_lock)
        {
            Total.RecordValue(micros);
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            if (Volatile.Read(ref _origin) > now)
            {
                return;   // before the sale opened: not part of the time series
            }

            while (_perSecond.Count <= second)
            {
                _perSecond.Add(null);
            }

            (_perSecond[second] ??= new LongHistogram(MaxMicros, 2)).RecordValue(micros);
        }
    }

    private long _origin = origin;

    /// <summary>Moves the start of the time series (the opening of the sale).</summary>
    public void StartSeries(long origin) => Volatile.Write(ref _origin, origin);

    public IReadOnlyDictionary<string, long> Statuses
    {
        get
        {
            lock (_lock)
            {
                return new SortedDictionary<string, long>(_statuses, StringComparer.Ordinal);
            }
        }
    }

    public long Count => Total.TotalCount;

    public double Ms(double percentile) => Total.TotalCount == 0 ? 0 : Total.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => Total.TotalCount == 0 ? 0 : Total.GetMaxValue() / 1000.0;

    /// <summary>(second, p50 ms, p99 ms, count) for every second that has requests.</summary>
    public IReadOnlyList<(int Second, double P50, double P99, long Count)> Series()
    {
        lock (_lock)
        {
            return [.. _perSecond.Select((h, s) => (h, s)).Where(x => x.h is { TotalCount: > 0 })
                .Select(x => (x.s, x.h!.GetValueAtPercentile(50) / 1000.0, x.h.GetValueAtPercentile(99) / 1000.0, x.h.TotalCount))];
        }
    }
}

/// <summary>Events per second since an origin (the opening of the sale); thread-safe.</summary>
public sealed class RateSeries(string name, int maxSeconds)
{
    private readonly long[] _counts = new long[maxSeconds + 1];
    private long _origin = Stopwatch.GetTimestamp();
    private long _total;
    private long _last;

    public string Name { get; } = name;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Seconds from the origin to the last event.</summary>
    public double LastSecond => Interlocked.Read(ref _last) == 0 ? 0 : (double)(Interlocked.Read(ref _last) - _origin) / Stopwatch.Frequency;

    public void StartSeries(long origin) => _origin = origin;

    public void Add()
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _total);
        Interlocked.Exchange(ref _last, now);
        var second = (now - _origin) / Stopwatch.Frequency;
        if (second >= 0 && second < _counts.Length)
        {
            Interlocked.Increment(ref _counts[second]);
        }
    }

    /// <summary>Counts per second, up to the last non-zero second.</summary>
    public long[] PerSecond()
    {
        var last = Array.FindLastIndex(_counts, c => c > 0);
        return _counts[..(last + 1)];
    }

    /// <summary>Events ÷ seconds from the origin to the last event.</summary>
    public double Rate => LastSecond <= 0 ? 0 : Total / LastSecond;
}
