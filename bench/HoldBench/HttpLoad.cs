using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// Closed-loop HTTP load: C workers, each takes the next seat from a shared counter and POSTs a one-seat hold, until the
/// phase ends. Latency is recorded per request (send to body read) in microseconds.
/// </summary>
public sealed class HttpLoad(HttpClient client, Guid eventId, IReadOnlyList<Guid> seatIds)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private int _next;
    private long _created;

    /// <summary>Seats handed out so far (warm-up and measured phases share the counter, so they never share a seat).</summary>
    public int SeatsUsed => Math.Min(Volatile.Read(ref _next), seatIds.Count);

    /// <summary>201 answers so far, over every phase (read while a phase runs).</summary>
    public long CreatedSoFar => Interlocked.Read(ref _created);

    /// <summary>Runs <paramref name="concurrency"/> workers for <paramref name="duration"/>.</summary>
    public async Task<HttpLoadResult> RunAsync(int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var statuses = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var histograms = new LongHistogram[concurrency];
        var firstSeat = SeatsUsed;
        var exhausted = 0;
        var sw = Stopwatch.StartNew();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task Worker(int w)
        {
            var histogram = histograms[w] = new LongHistogram(60_000_000, 3);
            while (Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref _next) - 1;
                if (index >= seatIds.Count)
                {
                    Interlocked.Exchange(ref exhausted, 1);
                    return;
                }

                // one customer per hold, as in an on-sale: one customer per worker would meet the purchase limit and
                // the per-account hold velocity after a few holds
                var started = Stopwatch.GetTimestamp();
                var outcome = await HoldAsync(client, eventId, seatIds[index], $"bench-{w}-{index}", ct);
                if (outcome == "201")
                {
                    Interlocked.Increment(ref _created);
                }

                var micros = Math.Min((Stopwatch.GetTimestamp() - started) * 1_000_000 / Stopwatch.Frequency, 60_000_000);
                histogram.RecordValue(Math.Max(1, micros));
                statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        }

        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w), ct)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = sw.Elapsed;
        return new HttpLoadResult(elapsed, Merge(histograms), new SortedDictionary<string, long>(statuses, StringComparer.Ordinal),
            firstSeat, SeatsUsed, exhausted == 1);
    }

    /// <summary>
    /// One <c>POST /v1/holds</c> of one seat for <paramref name="customer"/>: the status code as text, or <c>error: …</c>
    /// when no answer came.
    /// </summary>
    public static async Task<string> HoldAsync(HttpClient client, Guid eventId, Guid seatId, string customer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = Encoding.UTF8.GetBytes($$"""{"event_id":"{{eventId}}","customer_ref":"{{customer}}","seat_ids":["{{seatId}}"]}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/holds") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException ex)
        {
            return "error: " + ex.HttpRequestError;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return "error: client timeout";
        }
    }

    /// <summary>Merges per-worker histograms.</summary>
    public static LongHistogram Merge(IEnumerable<LongHistogram?> histograms)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        var all = new LongHistogram(60_000_000, 3);
        foreach (var h in histograms)
        {
            if (h is not null)
            {
                all.Add(h);
            }
        }

        return all;
    }
}

/// <summary>What one HTTP phase measured.</summary>
public sealed record HttpLoadResult(
    TimeSpan Elapsed,
    LongHistogram Latency,
    IReadOnlyDictionary<string, long> Statuses,
    int FirstSeat,
    int SeatsUsedAfter,
    bool SeatsExhausted)
{
    /// <summary>201 Created answers.</summary>
    public long Created => Statuses.TryGetValue("201", out var n) ? n : 0;

    /// <summary>Every answer or failure.</summary>
    public long Requests => Statuses.Values.Sum();

    /// <summary>Holds created per second of the phase.</summary>
    public double HoldsPerSecond => Created / Elapsed.TotalSeconds;

    /// <summary>A latency percentile in milliseconds.</summary>
    public double Ms(double percentile) => Latency.TotalCount == 0 ? 0 : Latency.GetValueAtPercentile(percentile) / 1000.0;

    /// <summary>Largest latency in milliseconds.</summary>
    public double MaxMs => Latency.TotalCount == 0 ? 0 : Latency.GetMaxValue() / 1000.0;
}
