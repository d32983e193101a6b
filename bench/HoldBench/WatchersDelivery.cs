using System.Diagnostics;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// The delivery of a sell-out to its watchers, computed once everything arrived (or the drain ended): latency over every
/// (watcher, change) pair, the time until the last watcher had each change, what each watcher missed, and per-second series
/// by arrival time since the sale opened.
/// </summary>
public sealed class WatchersDelivery
{
    private const long MaxMicros = 600_000_000;

    private WatchersDelivery()
    {
    }

    /// <summary>Delivery latency of every (watcher, change) pair that arrived, µs.</summary>
    public LongHistogram Pairs { get; } = new(MaxMicros, 3);

    /// <summary>Per change: until the last watcher had it, µs (changes every watcher received).</summary>
    public LongHistogram Fanout { get; } = new(MaxMicros, 3);

    /// <summary>Changes the bench made (got the 201 or 200 of).</summary>
    public int ChangesMade { get; private init; }

    public long PairsExpected { get; private init; }

    public long PairsDelivered { get; private set; }

    /// <summary>Pairs that arrived before the bench had read the answer that made them (the commit precedes the answer): counted as 0.</summary>
    public long ArrivedBeforeAnswer { get; private set; }

    /// <summary>Seat changes a watcher got that the bench did not make (no 201/200 for them).</summary>
    public long UnknownChanges { get; private set; }

    public long Missed { get; private set; }

    public int WatchersMissing { get; private set; }

    public int MaxMissedByOne { get; private set; }

    /// <summary>(second since the sale opened, p50 ms, p99 ms, max ms, pairs) by arrival second.</summary>
    public IReadOnlyList<(int Second, double P50, double P99, double Max, long Count)> Series { get; private set; } = [];

    /// <summary>Computes everything from the sale's answer times and the watchers' arrival times.</summary>
    public static WatchersDelivery Compute(LiveSale sale, IReadOnlyList<SseWatcher> watchers)
    {
        ArgumentNullException.ThrowIfNull(sale);
        ArgumentNullException.ThrowIfNull(watchers);
        var changed = sale.ChangedAt.ToArray();
        var made = changed.Count(t => t != 0);
        var d = new WatchersDelivery { ChangesMade = made, PairsExpected = (long)made * watchers.Count };
        var lastArrival = new long[changed.Length];
        var arrivals = new int[changed.Length];
        var perSecond = new List<LongHistogram?>();
        foreach (var w in watchers)
        {
            var received = w.Received;
            var missed = 0;
            for (var c = 0; c < changed.Length; c++)
            {
                var at = received[c];
                if (changed[c] == 0)
                {
                    if (at != 0)
                    {
                        d.UnknownChanges++;
                    }

                    continue;
                }

                if (at == 0)
                {
                    missed++;
                    continue;
                }

                long micros;
                if (at < changed[c])
                {
                    d.ArrivedBeforeAnswer++;
                    micros = 0;
                }
                else
                {
                    micros = Math.Min((at - changed[c]) * 1_000_000 / Stopwatch.Frequency, MaxMicros);
                }

                d.Pairs.RecordValue(micros);
                d.PairsDelivered++;
                lastArrival[c] = Math.Max(lastArrival[c], at);
                arrivals[c]++;
                var second = (int)Math.Max(0, (at - sale.Opened) / Stopwatch.Frequency);
                while (perSecond.Count <= second)
                {
                    perSecond.Add(null);
                }

                (perSecond[second] ??= new LongHistogram(MaxMicros, 2)).RecordValue(micros);
            }

            d.Missed += missed;
            if (missed > 0)
            {
                d.WatchersMissing++;
                d.MaxMissedByOne = Math.Max(d.MaxMissedByOne, missed);
            }
        }

        for (var c = 0; c < changed.Length; c++)
        {
            if (changed[c] != 0 && arrivals[c] == watchers.Count && watchers.Count > 0)
            {
                d.Fanout.RecordValue(Math.Clamp((lastArrival[c] - changed[c]) * 1_000_000 / Stopwatch.Frequency, 0, MaxMicros));
            }
        }

        d.Series = [.. perSecond.Select((h, s) => (h, s)).Where(x => x.h is { TotalCount: > 0 })
            .Select(x => (x.s, x.h!.GetValueAtPercentile(50) / 1000.0, x.h.GetValueAtPercentile(99) / 1000.0, x.h.GetMaxValue() / 1000.0, x.h.TotalCount))];
        return d;
    }
}
