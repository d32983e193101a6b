using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// Open-loop browsing: requests leave on a fixed schedule (one every 1/R s) whatever the answers, and each one's latency
/// runs from its scheduled time, so a slow answer delays nobody's clock (no coordinated omission). A request that the
/// client cannot send at once (every connection busy) waits in the client and that wait counts too.
/// </summary>
public sealed class BrowseLoad(HttpClient client, Guid eventId, double seatMapShare)
{
    private const long MaxMicros = 60_000_000;

    /// <summary>Runs one step: <paramref name="rate"/> requests/s for <paramref name="seconds"/>, then waits for the last answers.</summary>
    public async Task<BrowseStep> RunStepAsync(int rate, int seconds, CancellationToken ct)
    {
        var step = new BrowseStep(rate, seconds);
        var total = (long)rate * seconds;
        var rng = new Random(rate);
        var outstanding = 0L;
        var allSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;   // 10 ms ahead: the first requests are not late at birth
        step.Start(start);
        long next = 0;
        while (next < total && !ct.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            // every request whose time has come leaves now (a late wake-up sends several, each timed from its own schedule)
            var due = Math.Min(total, now < start ? 0 : (now - start) * rate / Stopwatch.Frequency + 1);
            for (; next < due; next++)
            {
                var scheduled = start + next * Stopwatch.Frequency / rate;
                var seatMap = rng.NextDouble() < seatMapShare;
                step.RecordSendLag(now - scheduled);
                Interlocked.Increment(ref outstanding);
                _ = SendAsync(step, seatMap, scheduled, ct).ContinueWith(_ =>
                {
                    if (Interlocked.Decrement(ref outstanding) == 0 && Volatile.Read(ref next) >= total)
                    {
                        allSent.TrySetResult();
                    }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            if (next < total)
            {
                await Task.Delay(1, ct);
            }
        }

        step.SendingEnded = Stopwatch.GetTimestamp();
        if (Interlocked.Read(ref outstanding) == 0)
        {
            allSent.TrySetResult();
        }

        // the client gives up on a request after its timeout, so this ends
        await allSent.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
        step.Ended = Stopwatch.GetTimestamp();
        return step;
    }

    private async Task SendAsync(BrowseStep step, bool seatMap, long scheduled, CancellationToken ct)
    {
        var kind = seatMap ? step.SeatMap : step.EventPage;
        using var request = new HttpRequestMessage(HttpMethod.Get, seatMap ? $"/v1/events/{eventId}/seats" : $"/v1/events/{eventId}");
        string outcome;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var code = (int)response.StatusCode;
            outcome = code.ToString(CultureInfo.InvariantCulture);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                var overloaded = body.Contains("\"overloaded\"", StringComparison.Ordinal);
                outcome = overloaded ? "503 overloaded" : "503";
                if (overloaded && response.Headers.RetryAfter is null)
                {
                    step.CountShedWithoutRetryAfter();
                }
            }
            else if (code >= 400)
            {
                step.Sample(outcome, await response.Content.ReadAsStringAsync(ct));
            }
        }
        catch (HttpRequestException ex)
        {
            outcome = "error: " + ex.HttpRequestError;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            outcome = "error: client timeout";
        }

        var ended = Stopwatch.GetTimestamp();
        kind.Record(scheduled, ended, outcome);
    }

    /// <summary>Latency in µs between two Stopwatch timestamps, clamped to the histograms' range.</summary>
    public static long Micros(long from, long to) => Math.Clamp((to - from) * 1_000_000 / Stopwatch.Frequency, 1, MaxMicros);
}

/// <summary>What one rate step measured, per request kind.</summary>
public sealed class BrowseStep(int rate, int seconds)
{
    private readonly Lock _lock = new();
    private readonly LongHistogram _sendLag = new(60_000_000, 3);
    private readonly Dictionary<string, string> _samples = new(StringComparer.Ordinal);
    private long _shedWithoutRetryAfter;

    public int Rate { get; } = rate;

    public int Seconds { get; } = seconds;

    public long Started { get; private set; }

    public long SendingEnded { get; set; }

    public long Ended { get; set; }

    public BrowseKind EventPage { get; } = new("event page", seconds);

    public BrowseKind SeatMap { get; } = new("seat map", seconds);

    public IEnumerable<BrowseKind> Kinds => [EventPage, SeatMap];

    /// <summary>How late requests left after their scheduled time (the generator's own lag; µs).</summary>
    public LongHistogram SendLag
    {
        get
        {
            lock (_lock)
            {
                return _sendLag.Copy() as LongHistogram ?? throw new InvalidOperationException("histogram copy");
            }
        }
    }

    public long ShedWithoutRetryAfter => Interlocked.Read(ref _shedWithoutRetryAfter);

    /// <summary>The first body of every unexpected answer (4xx, 5xx other than shedding).</summary>
    public IReadOnlyDictionary<string, string> Samples
    {
        get
        {
            lock (_lock)
            {
                return new SortedDictionary<string, string>(_samples, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Both kinds: served answers (200) over the step.</summary>
    public LongHistogram Served()
    {
        var all = new LongHistogram(60_000_000, 3);
        foreach (var k in Kinds)
        {
            all.Add(k.ServedHistogram);
        }

        return all;
    }

    public void Start(long origin)
    {
        Started = origin;
        EventPage.Origin = origin;
        SeatMap.Origin = origin;
    }

    public void RecordSendLag(long ticks)
    {
        lock (_lock)
        {
            _sendLag.RecordValue(Math.Clamp(ticks * 1_000_000 / Stopwatch.Frequency, 0, 60_000_000));
        }
    }

    public void CountShedWithoutRetryAfter() => Interlocked.Increment(ref _shedWithoutRetryAfter);

    public void Sample(string outcome, string body)
    {
        lock (_lock)
        {
            if (_samples.Count < 20)
            {
                _samples.TryAdd(outcome, body.Length > 400 ? body[..400] + " …" : body);
            }
        }
    }

    /// <summary>Seconds from the step's start to its last answer.</summary>
    public double ElapsedSeconds => (double)(Ended - Started) / Stopwatch.Frequency;
}

/// <summary>One request kind of one step: latencies of served (200) answers, answers by status, per-second series.</summary>
public sealed class BrowseKind(string name, int seconds)
{
    private readonly Lock _lock = new();
    private readonly LongHistogram _served = new(60_000_000, 3);
    private readonly LongHistogram _all = new(60_000_000, 3);
    private readonly SortedDictionary<string, long> _statuses = new(StringComparer.Ordinal);
    private readonly List<LongHistogram?> _perSecond = [];
    private readonly long[] _servedPerSecond = new long[seconds + 120];
    private readonly long[] _shedPerSecond = new long[seconds + 120];
    private readonly long[] _otherPerSecond = new long[seconds + 120];

    public string Name { get; } = name;

    public long Origin { get; set; }

    public LongHistogram ServedHistogram
    {
        get
        {
            lock (_lock)
            {
                return _served.Copy() as LongHistogram ?? throw new InvalidOperationException("histogram copy");
            }
        }
    }

    /// <summary>Every answer, shed and failed ones too.</summary>
    public LongHistogram AllHistogram
    {
        get
        {
            lock (_lock)
            {
                return _all.Copy() as LongHistogram ?? throw new InvalidOperationException("histogram copy");
            }
        }
    }

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

    public long Count(string status) => Statuses.GetValueOrDefault(status);

    public long Total => Statuses.Values.Sum();

    public void Record(long scheduled, long ended, string outcome)
    {
        var micros = BrowseLoad.Micros(scheduled, ended);
        // latency series by scheduled second (what a user arriving then saw), answers/s by the second they came back
        var sentSecond = (int)Math.Max(0, (scheduled - Origin) / Stopwatch.Frequency);
        var endSecond = (int)Math.Clamp((ended - Origin) / Stopwatch.Frequency, 0, _servedPerSecond.Length - 1);
        lock (_lock)
        {
            _all.RecordValue(micros);
            _statuses[outcome] = _statuses.GetValueOrDefault(outcome) + 1;
            if (outcome == "200")
            {
                _served.RecordValue(micros);
                while (_perSecond.Count <= sentSecond)
                {
                    _perSecond.Add(null);
                }

                (_perSecond[sentSecond] ??= new LongHistogram(60_000_000, 2)).RecordValue(micros);
                _servedPerSecond[endSecond]++;
            }
            else if (outcome.StartsWith("503", StringComparison.Ordinal))
            {
                _shedPerSecond[endSecond]++;
            }
            else
            {
                _otherPerSecond[endSecond]++;
            }
        }
    }

    /// <summary>(second by schedule, p50 ms, p99 ms) of the served answers, for every second that has some.</summary>
    public IReadOnlyList<(int Second, double P50, double P99)> LatencySeries()
    {
        lock (_lock)
        {
            return [.. _perSecond.Select((h, s) => (h, s)).Where(x => x.h is { TotalCount: > 0 })
                .Select(x => (x.s, x.h!.GetValueAtPercentile(50) / 1000.0, x.h.GetValueAtPercentile(99) / 1000.0))];
        }
    }

    /// <summary>Served, shed (503) and other answers per second of arrival back, up to the last non-zero second.</summary>
    public (long[] Served, long[] Shed, long[] Other) Throughput()
    {
        lock (_lock)
        {
            var last = Math.Max(Array.FindLastIndex(_servedPerSecond, c => c > 0),
                Math.Max(Array.FindLastIndex(_shedPerSecond, c => c > 0), Array.FindLastIndex(_otherPerSecond, c => c > 0)));
            return (_servedPerSecond[..(last + 1)], _shedPerSecond[..(last + 1)], _otherPerSecond[..(last + 1)]);
        }
    }

    public static string Ms(LongHistogram h, double percentile) =>
        h.TotalCount == 0 ? "–" : (h.GetValueAtPercentile(percentile) / 1000.0).ToString("N1", CultureInfo.InvariantCulture);

    public static string MaxMs(LongHistogram h) =>
        h.TotalCount == 0 ? "–" : (h.GetMaxValue() / 1000.0).ToString("N1", CultureInfo.InvariantCulture);

    /// <summary>Statuses as "200 × 1,234, 503 overloaded × 5".</summary>
    public static string Describe(IReadOnlyDictionary<string, long> statuses) =>
        new StringBuilder().AppendJoin(", ", statuses.Select(kv => $"{kv.Key} × {kv.Value.ToString("N0", CultureInfo.InvariantCulture)}")).ToString();
}
