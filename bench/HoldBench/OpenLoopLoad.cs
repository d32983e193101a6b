using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// Open-loop HTTP load: one-seat holds sent on a fixed schedule (request i is due at start + i / rate) whether or not
/// earlier ones were answered, each for a distinct customer on a distinct seat. Latency runs from the moment a request was
/// due, not from when it was sent, so a stalled server is charged for the requests that queued behind it (no coordinated
/// omission). At most <c>maxInFlight</c> requests are outstanding; a due request beyond that is counted as not sent.
/// </summary>
public sealed class OpenLoopLoad(HttpClient client, Guid eventId, IReadOnlyList<Guid> seatIds)
{
    /// <summary>Sends <paramref name="rate"/> holds a second for <paramref name="duration"/>.</summary>
    public async Task<HttpLoadResult> RunAsync(double rate, TimeSpan duration, int maxInFlight, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        var total = (int)Math.Min(seatIds.Count, Math.Round(rate * duration.TotalSeconds));
        var statuses = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var histogram = new LongHistogram(60_000_000, 3);
        var inFlight = 0;
        var tasks = new List<Task>(total);
        var sw = Stopwatch.StartNew();
        var start = Stopwatch.GetTimestamp();

        async Task SendAsync(int i, long due)
        {
            try
            {
                var outcome = await HttpLoad.HoldAsync(client, eventId, seatIds[i], $"open-{i}", ct);
                var micros = Math.Min((Stopwatch.GetTimestamp() - due) * 1_000_000 / Stopwatch.Frequency, 60_000_000);
                lock (histogram)
                {
                    histogram.RecordValue(Math.Max(1, micros));
                }

                statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        for (var i = 0; i < total && !ct.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * Stopwatch.Frequency / rate);
            var wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (wait > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
            }

            if (Interlocked.Increment(ref inFlight) > maxInFlight)
            {
                Interlocked.Decrement(ref inFlight);
                statuses.AddOrUpdate("not sent (in flight at the cap)", 1, (_, n) => n + 1);
                continue;
            }

            tasks.Add(SendAsync(i, due));
        }

        await Task.WhenAll(tasks);
        return new HttpLoadResult(sw.Elapsed, histogram, new SortedDictionary<string, long>(statuses, StringComparer.Ordinal), 0, total, false);
    }
}
