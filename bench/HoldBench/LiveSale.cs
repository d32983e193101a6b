using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// A reserved-seating event sold out by closed-loop buyers while it is watched: each buyer takes the next group of seats,
/// holds them (the 201 makes them held), pays and confirms (the 200 makes them sold). The moment the bench got each answer
/// is the start of every watcher's delivery latency for those seats.
/// </summary>
public sealed class LiveSale
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly string[] PhaseNames = ["hold", "payment", "psp confirm", "confirm"];
    private readonly Dictionary<Guid, int> _index;
    private readonly long[] _changedAt;
    private readonly ConcurrentDictionary<string, string> _errorSamples = new(StringComparer.Ordinal);
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    public LiveSale(Guid eventId, IReadOnlyList<Guid> seats, int maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(seats);
        EventId = eventId;
        Seats = seats;
        _index = seats.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        _changedAt = new long[Changes];
        var origin = Stopwatch.GetTimestamp();
        Phases = [.. PhaseNames.Select(n => new PhaseStats(n, origin))];
        HeldChanges = new RateSeries("seats held/s", maxSeconds);
        SoldChanges = new RateSeries("seats sold/s", maxSeconds);
    }

    public Guid EventId { get; }

    public IReadOnlyList<Guid> Seats { get; }

    /// <summary>Change slots: two per seat (held, sold).</summary>
    public int Changes => Seats.Count * 2;

    public IReadOnlyList<PhaseStats> Phases { get; }

    public RateSeries HeldChanges { get; }

    public RateSeries SoldChanges { get; }

    /// <summary>When the sale started (Stopwatch ticks).</summary>
    public long Opened { get; private set; }

    /// <summary>When the last buyer finished.</summary>
    public long Closed { get; private set; }

    /// <summary>When the bench got the answer that made each change (0: it never happened, as far as the bench knows).</summary>
    public IReadOnlyList<long> ChangedAt => _changedAt;

    public IReadOnlyDictionary<string, string> UnexpectedBodies => new SortedDictionary<string, string>(_errorSamples, StringComparer.Ordinal);

    public static int Slot(int seat, int kind) => seat * 2 + kind;

    public bool TryIndex(Guid seat, out int index) => _index.TryGetValue(seat, out index);

    /// <summary>Sells the seats in groups of <paramref name="perHold"/> with <paramref name="buyers"/> buyers in flight, until done or <paramref name="limit"/>.</summary>
    public async Task<TimeSpan> SellAsync(HttpClient api, HttpClient psp, int buyers, int perHold, bool confirm, TimeSpan limit, CancellationToken ct)
    {
        Opened = Stopwatch.GetTimestamp();
        foreach (var p in Phases)
        {
            p.StartSeries(Opened);
        }

        HeldChanges.StartSeries(Opened);
        SoldChanges.StartSeries(Opened);
        var deadline = Opened + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var groups = (Seats.Count + perHold - 1) / perHold;
        var next = 0;
        async Task Buyer()
        {
            while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
            {
                var g = Interlocked.Increment(ref next) - 1;
                if (g >= groups)
                {
                    return;
                }

                var seats = Enumerable.Range(g * perHold, Math.Min(perHold, Seats.Count - g * perHold)).ToArray();
                await BuyAsync(api, psp, g, seats, confirm, deadline, ct);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, buyers).Select(_ => Task.Run(Buyer, ct)));
        Closed = Stopwatch.GetTimestamp();
        return Stopwatch.GetElapsedTime(Opened, Closed);
    }

    private async Task BuyAsync(HttpClient api, HttpClient psp, int group, int[] seats, bool confirm, long deadline, CancellationToken ct)
    {
        var ids = string.Join(',', seats.Select(i => $"\"{Seats[i]}\""));
        var holdBody = $$"""{"event_id":"{{EventId}}","customer_ref":"live-{{_tag}}-{{group}}","seat_ids":[{{ids}}]}""";
        var (status, hold, at) = await SendAsync(api, "/v1/holds", holdBody, Phases[0], ct);
        Guid holdId;
        using (hold)
        {
            if (status != HttpStatusCode.Created || hold is null)
            {
                return;
            }

            Changed(seats, 0, at, HeldChanges);
            holdId = hold.RootElement.GetProperty("id").GetGuid();
        }

        if (!confirm)
        {
            return;
        }

        string confirmUrl, clientSecret;
        var (payStatus, payment, _) = await SendAsync(api, $"/v1/holds/{holdId}/payment", "{}", Phases[1], ct);
        using (payment)
        {
            if (payStatus != HttpStatusCode.OK || payment is null)
            {
                return;
            }

            var intent = payment.RootElement.GetProperty("psp");
            confirmUrl = intent.GetProperty("confirm_url").GetString()!;
            clientSecret = intent.GetProperty("client_secret").GetString()!;
        }

        var (pspStatus, pspBody, _) = await SendAsync(psp, confirmUrl, $$"""{"client_secret":"{{clientSecret}}","card_number":"4242424242424242"}""", Phases[2], ct);
        pspBody?.Dispose();
        if ((int)pspStatus is < 200 or > 299)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var (confirmStatus, order, confirmedAt) = await SendAsync(api, $"/v1/holds/{holdId}/confirm", "{}", Phases[3], ct);
            order?.Dispose();
            if (confirmStatus == HttpStatusCode.OK)
            {
                Changed(seats, 1, confirmedAt, SoldChanges);
                return;
            }

            if (confirmStatus != HttpStatusCode.Accepted || attempt >= 20 || Stopwatch.GetTimestamp() >= deadline)
            {
                return;
            }

            await Task.Delay(200, ct);   // 202 payment_pending: the PSP is still processing
        }
    }

    private void Changed(int[] seats, int kind, long at, RateSeries series)
    {
        foreach (var i in seats)
        {
            Volatile.Write(ref _changedAt[Slot(i, kind)], at);
            series.Add();
        }
    }

    /// <summary>POSTs <paramref name="json"/>; the status, the JSON body and when the answer was complete (Stopwatch ticks).</summary>
    private async Task<(HttpStatusCode Status, JsonDocument? Body, long At)> SendAsync(HttpClient client, string url, string json, PhaseStats phase, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = Json;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var at = Stopwatch.GetTimestamp();
            var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            phase.Record(started, code);
            if ((int)response.StatusCode >= 400 && _errorSamples.Count < 20)
            {
                var text = Encoding.UTF8.GetString(bytes);
                _errorSamples.TryAdd($"{phase.Name} {code}", text.Length > 400 ? text[..400] + " …" : text);
            }

            JsonDocument? body = null;
            try
            {
                body = bytes.Length > 0 ? JsonDocument.Parse(bytes) : null;
            }
            catch (JsonException)
            {
                // not JSON: the status says enough
            }

            return (response.StatusCode, body, at);
        }
        catch (HttpRequestException ex)
        {
            phase.Record(started, "error: " + ex.HttpRequestError);
            return (0, null, 0);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            phase.Record(started, "error: client timeout");
            return (0, null, 0);
        }
    }
}
