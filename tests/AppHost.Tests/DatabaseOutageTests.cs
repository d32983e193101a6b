using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The cell's Postgres killed with SIGKILL in the middle of 100 concurrent holds: every answer is a hold (201), a
/// refusal (409) or <c>503 database_unavailable</c> with <c>Retry-After</c>, fast (no 500, no request left hanging);
/// nothing acknowledged is lost, and holds succeed again once Postgres is back. Its own AppHost (one cell, durable
/// Postgres: an acknowledged commit must survive the kill), since killing the shared fixture's server would disturb the
/// other tests.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workers = 100;
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(2);
    private OwnAppHost? _host;

    public async Task InitializeAsync() => _host = await OwnAppHost.StartAsync("ta-db",
        ["TicketAspire:Cells=eu", "TicketAspire:Durable=true", "TicketAspire:ApiReplicas=1",
         $"Parameters:eu-acme-client-secret={PlatformFixture.ClientSecret("acme")}"],
        ["eu-api", "eu-identity", "eu-acme-db"],
        // thousands of holds by one integrator within seconds: no rate or velocity limit in the way
        builder => OwnAppHost.SetEnvironment(builder, "eu-api", ("RateLimiting__Enabled", "false"), ("Abuse__Enabled", "false")));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Killing_postgres_during_concurrent_holds_answers_503_database_unavailable_fast_heals_by_itself_and_loses_nothing_acknowledged()
    {
        var app = _host!.App;
        using var identity = new HttpClient { BaseAddress = app.GetEndpoint("eu-identity", "http") };
        var token = await Tokens.ClientCredentialsAsync(identity, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), Tokens.AllIntegratorScopes);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = app.GetEndpoint("eu-api", "http"),
            Timeout = TimeSpan.FromSeconds(10),   // what a buyer's client waits before giving up
        };
        http.DefaultRequestHeaders.Host = "acme.eu.localhost";
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var created = await http.PostJsonAsync("/v1/events", Api.GaEvent("Outage " + Guid.NewGuid(), 30_000), HttpStatusCode.Created);
        var classId = (string)created["ticket_classes"]![0]!["id"]!;

        var answers = new ConcurrentQueue<Answer>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var answer = await HoldAsync(http, created.Id(), classId, $"buyer-{w}-{n}", n % 2 == 0, clock);
                answers.Enqueue(answer);
                if (answer.Status != 201)
                {
                    await Task.Delay(100);   // a client retrying soon, not in a tight loop
                }
            }
        })).ToList();

        // a few seconds of selling, then SIGKILL to the postmaster (no shutdown, no checkpoint)
        Assert.True(await WaitForAsync(() => answers.Count(a => a.Status == 201) >= 200, TimeSpan.FromSeconds(60)), "no 200 holds before the kill");
        var pidFile = Path.Combine(_host.DataDir, "eu-postgres", "postmaster.pid");
        var pid = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        var killedAt = clock.Elapsed;
        Process.GetProcessById(pid).Kill();
        await app.ResourceNotifications.WaitForResourceAsync("eu-postgres", KnownResourceStates.TerminalStates).WaitAsync(TimeSpan.FromSeconds(30));

        // back up with nobody's help: the AppHost starts the dead server again (SelfHealing), the API reconnects by itself
        await app.ResourceNotifications.WaitForResourceAsync("eu-postgres", KnownResourceStates.Running).WaitAsync(TimeSpan.FromSeconds(30));
        var restartedAt = clock.Elapsed;
        await app.ResourceNotifications.WaitForResourceHealthyAsync("eu-postgres").WaitAsync(TimeSpan.FromSeconds(60));
        var upAt = clock.Elapsed;
        var recovered = await WaitForAsync(() => answers.Count(a => a.SentAt > upAt && a.Status == 201) >= Workers, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var recoveredAt = answers.Where(a => a.SentAt > restartedAt && a.Status == 201).Select(a => a.SentAt + a.Latency).DefaultIfEmpty(clock.Elapsed).Min();

        // the outage: answers that came after the kill to requests sent before holds succeeded again; how long each
        // made its client wait after the kill (a request sent earlier had waited its ordinary time before)
        var all = answers.ToList();
        var outage = all.Where(a => a.SentAt + a.Latency >= killedAt && a.SentAt < recoveredAt).ToList();
        var unavailable = outage.Where(a => a.Status == 503).ToList();
        TimeSpan AfterKill(Answer a) => a.SentAt + a.Latency - (a.SentAt > killedAt ? a.SentAt : killedAt);
        output.WriteLine($"answers {all.Count}; killed at {killedAt.TotalSeconds:F1}s, restart at {restartedAt.TotalSeconds:F1}s, healthy at {upAt.TotalSeconds:F1}s, first hold after at {recoveredAt.TotalSeconds:F1}s");
        output.WriteLine("during the outage: " + string.Join(", ", outage.GroupBy(a => $"{a.Status} {a.Code}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}")));
        output.WriteLine($"during the outage, latency from sending (ms): {Percentiles(outage.ConvertAll(a => a.Latency))}; of the 503s: {Percentiles(unavailable.ConvertAll(a => a.Latency))}");
        output.WriteLine($"during the outage, wait after the kill (ms): {Percentiles(outage.ConvertAll(AfterKill))}");
        output.WriteLine($"holds while Postgres started again, latency (ms): {Percentiles(outage.Where(a => a.SentAt >= restartedAt && a.Status == 201).Select(a => a.Latency).ToList())}");
        output.WriteLine($"before the kill, latency (ms): {Percentiles(all.Where(a => a.SentAt + a.Latency < killedAt).Select(a => a.Latency).ToList())}");

        Assert.True(recovered, "holds did not succeed again within 30 s of Postgres being healthy");
        Assert.NotEmpty(unavailable);
        Assert.All(all, a => Assert.True(
            a.Status is 201 or 409 || a is { Status: 503, Code: "database_unavailable", RetryAfter: true },
            $"{a.Status} {a.Code} retry-after={a.RetryAfter} after {a.Latency.TotalMilliseconds:F0} ms: {a.Body}"));
        // while Postgres is dead every answer is quick, and so is every 503 while it starts again (a hold that succeeds
        // once it is back may take its ordinary time)
        Assert.All(outage.Where(a => a.SentAt < restartedAt || a.Status == 503), a => Assert.True(AfterKill(a) < Fast,
            $"{a.Status} {a.Code} answered {AfterKill(a).TotalMilliseconds:F0} ms after the kill (sent at {a.SentAt.TotalSeconds:F1}s, {a.Latency.TotalMilliseconds:F0} ms)"));

        // every hold the API acknowledged is in the database
        var acknowledged = all.Where(a => a.Status == 201).Select(a => Guid.Parse(a.HoldId!)).ToArray();
        var server = await app.GetConnectionStringAsync("eu-postgres") ?? throw new InvalidOperationException("no connection string");
        await using var db = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "reseller_acme", Pooling = false }.ConnectionString);
        await db.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM holds WHERE id = ANY ($1)", db) { Parameters = { new() { Value = acknowledged } } };
        output.WriteLine($"acknowledged holds {acknowledged.Length}, in the database {await count.ExecuteScalarAsync()}");
        Assert.Equal((long)acknowledged.Length, (long)(await count.ExecuteScalarAsync())!);
    }

    private static async Task<Answer> HoldAsync(HttpClient http, string eventId, string classId, string customer, bool keyed, Stopwatch clock)
    {
        var sentAt = clock.Elapsed;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/holds")
        {
            Content = JsonContent.Create(new { event_id = eventId, customer_ref = customer, tickets = new[] { new { class_id = classId, quantity = 1 } }, expire_in_seconds = 3600 }, options: Api.Json),
        };
        if (keyed)
        {
            request.Headers.Add("Idempotency-Key", $"\"{Guid.NewGuid():N}\"");
        }

        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var latency = clock.Elapsed - sentAt;
            JsonNode? json = null;
            try
            {
                json = body.Length > 0 ? JsonNode.Parse(body) : null;
            }
            catch (System.Text.Json.JsonException)
            {
            }

            return new Answer(sentAt, latency, (int)response.StatusCode, (string?)json?["code"], response.Headers.RetryAfter is not null,
                response.StatusCode == HttpStatusCode.Created ? (string?)json?["id"] : null, body.Length > 300 ? body[..300] : body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Answer(sentAt, clock.Elapsed - sentAt, 0, ex.GetType().Name, false, null, ex.Message);
        }
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private static string Percentiles(List<TimeSpan> latencies)
    {
        if (latencies.Count == 0)
        {
            return "none";
        }

        var sorted = latencies.Select(l => l.TotalMilliseconds).Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return $"n={sorted.Count} p50={At(0.50):F0} p99={At(0.99):F0} max={sorted[^1]:F0}";
    }

    private sealed record Answer(TimeSpan SentAt, TimeSpan Latency, int Status, string? Code, bool RetryAfter, string? HoldId, string Body);
}
