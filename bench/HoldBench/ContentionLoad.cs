using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// Contention: <c>requests</c> one-seat holds from <c>clients</c> closed-loop workers, each for a distinct customer and a
/// seat drawn at random from the few of a small event, so nearly every request races others for the same seat. Exactly one
/// hold per seat may win; every other answer must be 409.
/// </summary>
public sealed class ContentionLoad(HttpClient client, Guid eventId, IReadOnlyList<Guid> seatIds)
{
    /// <summary>Runs the requests and returns what they were answered.</summary>
    public async Task<HttpLoadResult> RunAsync(int requests, int clients, CancellationToken ct)
    {
        var statuses = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var histograms = new LongHistogram[clients];
        var next = -1;
        var sw = Stopwatch.StartNew();

        async Task Worker(int w)
        {
            var histogram = histograms[w] = new LongHistogram(60_000_000, 3);
            for (var i = Interlocked.Increment(ref next); i < requests && !ct.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                var seat = seatIds[Random.Shared.Next(seatIds.Count)];
                var started = Stopwatch.GetTimestamp();
                var outcome = await HttpLoad.HoldAsync(client, eventId, seat, $"contend-{i}", ct);
                histogram.RecordValue(Math.Max(1, Math.Min((Stopwatch.GetTimestamp() - started) * 1_000_000 / Stopwatch.Frequency, 60_000_000)));
                statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(w => Task.Run(() => Worker(w), ct)));
        return new HttpLoadResult(sw.Elapsed, HttpLoad.Merge(histograms), new SortedDictionary<string, long>(statuses, StringComparer.Ordinal), 0, seatIds.Count, false);
    }
}
