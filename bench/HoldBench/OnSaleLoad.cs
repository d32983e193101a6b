using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// The buyers of a hot on-sale, closed loop: C workers each carry one buyer at a time through join, poll until admitted,
/// hold 1 ticket with the admission token, start the payment, confirm it at the payment simulator (as the buyer's
/// browser does) and confirm the hold. Every buyer ends with exactly one final answer.
/// </summary>
public sealed class OnSaleLoad
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly string[] PhaseNames = ["join", "poll", "hold", "payment", "psp confirm", "confirm"];
    private readonly HttpClient _api;
    private readonly HttpClient _psp;
    private readonly Guid _eventId;
    private readonly Guid _classId;
    private readonly string[] _buyers;
    private readonly bool[] _joined;
    private readonly ConcurrentDictionary<string, long> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _errorSamples = new(StringComparer.Ordinal);
    private long _answered;

    public OnSaleLoad(HttpClient api, HttpClient psp, Guid eventId, Guid classId, int buyers, int maxSeconds)
    {
        (_api, _psp, _eventId, _classId) = (api, psp, eventId, classId);
        var tag = Guid.NewGuid().ToString("N")[..8];
        _buyers = [.. Enumerable.Range(0, buyers).Select(i => $"onsale-{tag}-{i:D7}")];
        _joined = new bool[buyers];
        var origin = Stopwatch.GetTimestamp();
        Phases = [.. PhaseNames.Select(n => new PhaseStats(n, origin))];
        Admitted = new RateSeries("admitted/s", maxSeconds);
        Holds = new RateSeries("holds/s", maxSeconds);
        Confirms = new RateSeries("confirms/s", maxSeconds);
        Answers = new RateSeries("final answers/s", maxSeconds);
    }

    public IReadOnlyList<PhaseStats> Phases { get; }

    public PhaseStats Join => Phases[0];

    public PhaseStats Poll => Phases[1];

    public PhaseStats Hold => Phases[2];

    public PhaseStats Payment => Phases[3];

    public PhaseStats PspConfirm => Phases[4];

    public PhaseStats Confirm => Phases[5];

    public RateSeries Admitted { get; }

    public RateSeries Holds { get; }

    public RateSeries Confirms { get; }

    public RateSeries Answers { get; }

    public int BuyerCount => _buyers.Length;

    /// <summary>Final answers by kind (one per buyer that got one).</summary>
    public IReadOnlyDictionary<string, long> FinalAnswers => new SortedDictionary<string, long>(_answers, StringComparer.Ordinal);

    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>The first answer body of every unexpected outcome (5xx, 4xx other than 409), by request kind and outcome.</summary>
    public IReadOnlyDictionary<string, string> UnexpectedBodies => new SortedDictionary<string, string>(_errorSamples, StringComparer.Ordinal);

    /// <summary>Polls that found the buyer still waiting.</summary>
    public long WaitingPolls => Interlocked.Read(ref _waitingPolls);

    private long _waitingPolls;

    /// <summary>Seconds from the first join to the opening of the sale (the join series lies before it).</summary>
    public double JoinLeadSeconds { get; private set; }

    private long _joinStarted;

    /// <summary>Every buyer joins the queue once; stops at <paramref name="deadline"/> (Stopwatch ticks).</summary>
    public async Task<TimeSpan> JoinAllAsync(int concurrency, long deadline, CancellationToken ct)
    {
        _joinStarted = Stopwatch.GetTimestamp();
        Join.StartSeries(_joinStarted);
        var next = 0;
        var sw = Stopwatch.StartNew();
        async Task Worker()
        {
            while (Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next) - 1;
                if (i >= _buyers.Length)
                {
                    return;
                }

                var (status, body, outcome) = await SendAsync(_api, HttpMethod.Post, $"/v1/queue/events/{_eventId}/join", CustomerBody(i), null, Join, ct);
                using (body)
                {
                    if (status == HttpStatusCode.OK)
                    {
                        _joined[i] = true;
                    }
                    else
                    {
                        Final("join " + outcome);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, ct)));
        return sw.Elapsed;
    }

    /// <summary>After the sale opened at <paramref name="opened"/>: every joined buyer tries to buy, in join order.</summary>
    public async Task<TimeSpan> BuyAllAsync(int concurrency, long opened, long deadline, int pollMilliseconds, CancellationToken ct)
    {
        JoinLeadSeconds = (double)(opened - _joinStarted) / Stopwatch.Frequency;
        foreach (var p in Phases.Skip(1))
        {
            p.StartSeries(opened);
        }

        foreach (var s in new[] { Admitted, Holds, Confirms, Answers })
        {
            s.StartSeries(opened);
        }

        var next = 0;
        var sw = Stopwatch.StartNew();
        async Task Worker()
        {
            while (!ct.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next) - 1;
                if (i >= _buyers.Length)
                {
                    return;
                }

                if (!_joined[i])
                {
                    continue;   // its join failed or never ran: that was its answer, or it is counted as unanswered
                }

                if (Stopwatch.GetTimestamp() >= deadline)
                {
                    continue;   // unanswered (counted from the totals)
                }

                await BuyAsync(i, deadline, pollMilliseconds, ct);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, ct)));
        return sw.Elapsed;
    }

    private async Task BuyAsync(int i, long deadline, int pollMilliseconds, CancellationToken ct)
    {
        string? token = null;
        while (token is null)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return;   // still waiting at the limit: unanswered
            }

            var (status, body, outcome) = await SendAsync(_api, HttpMethod.Post, $"/v1/queue/events/{_eventId}/join", CustomerBody(i), null, Poll, ct);
            using (body)
            {
                if (status != HttpStatusCode.OK || body is null)
                {
                    Final("poll " + outcome);
                    return;
                }

                var entry = body.RootElement;
                switch (entry.GetProperty("status").GetString())
                {
                    case "admitted":
                        token = entry.GetProperty("admission_token").GetString();
                        Admitted.Add();
                        break;
                    case "waiting":
                        Interlocked.Increment(ref _waitingPolls);
                        await Task.Delay(pollMilliseconds, ct);
                        break;
                    case var other:
                        Final($"poll 200 status {other}");
                        return;
                }
            }
        }

        Guid holdId;
        var holdBody = $$"""{"event_id":"{{_eventId}}","customer_ref":"{{_buyers[i]}}","tickets":[{"class_id":"{{_classId}}","quantity":1}]}""";
        var (holdStatus, hold, holdOutcome) = await SendAsync(_api, HttpMethod.Post, "/v1/holds", holdBody, token, Hold, ct);
        using (hold)
        {
            if (holdStatus != HttpStatusCode.Created || hold is null)
            {
                Final("hold " + holdOutcome);
                return;
            }

            holdId = hold.RootElement.GetProperty("id").GetGuid();
            Holds.Add();
        }

        string confirmUrl;
        string clientSecret;
        var (payStatus, payment, payOutcome) = await SendAsync(_api, HttpMethod.Post, $"/v1/holds/{holdId}/payment", "{}", null, Payment, ct);
        using (payment)
        {
            if (payStatus != HttpStatusCode.OK || payment is null)
            {
                Final("payment " + payOutcome);
                return;
            }

            var psp = payment.RootElement.GetProperty("psp");
            confirmUrl = psp.GetProperty("confirm_url").GetString()!;
            clientSecret = psp.GetProperty("client_secret").GetString()!;
        }

        var card = $$"""{"client_secret":"{{clientSecret}}","card_number":"4242424242424242"}""";
        var (pspStatus, pspBody, pspOutcome) = await SendAsync(_psp, HttpMethod.Post, confirmUrl, card, null, PspConfirm, ct);
        pspBody?.Dispose();
        if ((int)pspStatus is < 200 or > 299)
        {
            Final("psp confirm " + pspOutcome);
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var (status, order, outcome) = await SendAsync(_api, HttpMethod.Post, $"/v1/holds/{holdId}/confirm", "{}", null, Confirm, ct);
            order?.Dispose();
            if (status == HttpStatusCode.OK)
            {
                Confirms.Add();
                Final("confirmed: order (200)");
                return;
            }

            if (status != HttpStatusCode.Accepted || attempt >= 20 || Stopwatch.GetTimestamp() >= deadline)
            {
                Final("confirm " + outcome);
                return;
            }

            await Task.Delay(200, ct);   // 202 payment_pending: the PSP is still processing
        }
    }

    private string CustomerBody(int i) => $$"""{"customer_ref":"{{_buyers[i]}}"}""";

    private void Final(string answer)
    {
        _answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _answered);
        Answers.Add();
    }

    /// <summary>Sends one request; its status, its JSON body (if any) and the outcome label ("409 sold_out", "error: …").</summary>
    private async Task<(HttpStatusCode Status, JsonDocument? Body, string Outcome)> SendAsync(
        HttpClient client, HttpMethod method, string url, string json, string? admissionToken, PhaseStats phase, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = Json;
        if (admissionToken is not null)
        {
            request.Headers.Add("Admission-Token", admissionToken);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            JsonDocument? body = null;
            try
            {
                body = bytes.Length > 0 ? JsonDocument.Parse(bytes) : null;
            }
            catch (JsonException)
            {
                // not JSON (a proxy's error page): the status says enough
            }

            var outcome = response.IsSuccessStatusCode || body is null || body.RootElement.ValueKind != JsonValueKind.Object
                || !body.RootElement.TryGetProperty("code", out var c) || c.ValueKind != JsonValueKind.String
                ? code
                : $"{code} {c.GetString()}";
            phase.Record(started, outcome);
            if ((int)response.StatusCode >= 400 && response.StatusCode != HttpStatusCode.Conflict && _errorSamples.Count < 50)
            {
                var text = Encoding.UTF8.GetString(bytes);
                _errorSamples.TryAdd($"{phase.Name} {outcome}", text.Length > 600 ? text[..600] + " …" : text);
            }

            return (response.StatusCode, body, outcome);
        }
        catch (HttpRequestException ex)
        {
            var outcome = "error: " + ex.HttpRequestError;
            phase.Record(started, outcome);
            return (0, null, outcome);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            phase.Record(started, "error: client timeout");
            return (0, null, "error: client timeout");
        }
    }
}
