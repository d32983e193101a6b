using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Faults during a running on-sale: buyers go through hold → payment → PSP → confirm, as a storefront's back end does
/// (idempotency keys on every step, retrying what the API says may be retried), while the test kills with SIGKILL, one
/// after the other, an API replica, the worker, the reseller's Redis and the cell's Postgres. The API replica and the
/// worker are started again by the test after a while, as Kubernetes restarts a pod; Postgres and Redis start again by
/// themselves (the AppHost's self-healing). Then: not one ticket oversold, every acknowledged hold and confirmed order in
/// the database, every <c>order.confirmed</c> delivered to a webhook receiver that deduplicates by <c>webhook-id</c>,
/// the event sold out, and no 500 anywhere. Its own AppHost (one cell, durable Postgres) since it kills what the
/// shared fixture's tests need. The figures go to the test output (docs/reliability.md).
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Capacity = 1_200;
    private const int Buyers = 24;
    private const int HoldSeconds = 90;
    private const int OrdersBetweenFaults = 150;
    private static readonly TimeSpan Pace = TimeSpan.FromSeconds(1);        // each buyer starts at most one purchase a second
    private static readonly TimeSpan StepDeadline = TimeSpan.FromMinutes(3); // a buyer's client gives up on one step after this
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(8);          // how long a killed service stays dead before its restart
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentDictionary<string, bool> _holds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _orders = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private OwnAppHost? _host;

    private sealed record Attempt(string Step, TimeSpan At, TimeSpan Latency, int Status, string? Code, bool RetryAfter, string Body, int Try = 1, bool Replayed = false);

    private sealed record Fault(string Name, TimeSpan KilledAt, TimeSpan BackAt);

    public async Task InitializeAsync() => _host = await OwnAppHost.StartAsync("ta-faults",
        ["TicketAspire:Cells=eu", "TicketAspire:Durable=true", "TicketAspire:ApiReplicas=2",
         $"Parameters:eu-acme-client-secret={PlatformFixture.ClientSecret("acme")}",
         "TicketAspire:Payments:WebhookRetrySchedule=00:00:01,00:00:02,00:00:05,00:00:10,00:00:20", "TicketAspire:Payments:AttemptTimeout=00:00:02",
         "TicketAspire:Webhooks:RetrySchedule:0=00:00:01", "TicketAspire:Webhooks:RetrySchedule:1=00:00:02", "TicketAspire:Webhooks:RetrySchedule:2=00:00:05",
         "TicketAspire:Webhooks:RetrySchedule:3=00:00:10", "TicketAspire:Webhooks:PollInterval=00:00:00.200",
         "TicketAspire:AllowPrivateWebhookTargets=true"],
        ["eu-api", "eu-identity", "eu-worker", "eu-payments", "eu-acme-db", "eu-acme-redis"],
        // one integrator selling a whole on-sale within minutes: no rate or velocity limit in the way
        builder => OwnAppHost.SetEnvironment(builder, "eu-api", ("RateLimiting__Enabled", "false"), ("Abuse__Enabled", "false")));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_on_sale_survives_killing_an_api_replica_the_worker_the_resellers_redis_and_postgres_in_turn()
    {
        var app = _host!.App;
        using var identity = new HttpClient { BaseAddress = app.GetEndpoint("eu-identity", "http") };
        var token = await Tokens.ClientCredentialsAsync(identity, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), Tokens.AllIntegratorScopes);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = app.GetEndpoint("eu-api", "http"),
            Timeout = TimeSpan.FromSeconds(15),
        };
        http.DefaultRequestHeaders.Host = "acme.eu.localhost";
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var browser = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };

        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await http.PostJsonAsync("/v1/webhooks/endpoints", new { url = receiver.Url, description = "fault injection", event_types = new[] { "order.confirmed" } }, HttpStatusCode.Created);
        var created = await http.PostJsonAsync("/v1/events", Api.GaEvent("Faults " + Guid.NewGuid(), Capacity), HttpStatusCode.Created);
        var eventId = created.Id();
        var classId = (string)created["ticket_classes"]![0]!["id"]!;

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        var buyers = Enumerable.Range(0, Buyers).Select(b => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested && _orders.Count < Capacity; n++)
            {
                var started = _clock.Elapsed;
                var outcome = await PurchaseAsync(http, browser, eventId, classId, $"fault-buyer-{b}-{n}", stop.Token);
                if (outcome == "sold_out")
                {
                    // held by someone who will not pay (a hold left by a request cut off mid-way): it comes back when it expires
                    await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
                }

                var wait = started + Pace - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None);
                }
            }
        })).ToList();

        // the faults, one after the other, each once another batch of orders was confirmed
        var faults = new List<Fault>();
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        async Task AfterOrdersAsync(int count)
        {
            var target = _orders.Count + count;
            while (_orders.Count < target)
            {
                Assert.False(stop.IsCancellationRequested, $"the sale stalled at {_orders.Count} orders; {Summary(_attempts.ToList())}");
                await Task.Delay(100);
            }
        }

        await AfterOrdersAsync(OrdersBetweenFaults);
        var (replicaId, replicaPid) = (await RunningProcessesAsync(app, "eu-api", 2))[0];
        faults.Add(await KillAndRestartAsync(app, commands, "an API replica", replicaId, replicaPid));
        await AfterOrdersAsync(OrdersBetweenFaults);
        var (workerId, workerPid) = (await RunningProcessesAsync(app, "eu-worker", 1))[0];
        faults.Add(await KillAndRestartAsync(app, commands, "the worker", workerId, workerPid));
        await AfterOrdersAsync(OrdersBetweenFaults);
        var (redisId, redisPid) = (await RunningProcessesAsync(app, "eu-acme-redis", 1))[0];
        faults.Add(await KillAndWaitForHealingAsync(app, "acme's Redis", redisId, redisPid));
        await AfterOrdersAsync(OrdersBetweenFaults);
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_host.DataDir, "eu-postgres", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        faults.Add(await KillAndWaitForHealingAsync(app, "the cell's Postgres", "eu-postgres", postmaster));

        await Task.WhenAll(buyers);
        var soldAt = _clock.Elapsed;
        var attempts = _attempts.ToList();
        Report(faults, attempts, soldAt);
        Assert.False(stop.IsCancellationRequested, $"the sale did not complete within 12 minutes: {_orders.Count} of {Capacity} orders");

        // no 500, and every refusal is one the API documents for a failure: 503 with Retry-After, a claimed idempotency
        // key, sold out; a lost connection only to a killed replica
        Assert.All(attempts, a => Assert.True(
            a.Status is 200 or 201 or 0 || a is { Status: 503, RetryAfter: true } || a is { Status: 409, Code: "idempotency_key_in_use" or "sold_out" }
                || a is { Status: 202 },
            $"{a.Step} at {a.At.TotalSeconds:F1}s: {a.Status} {a.Code} retry-after={a.RetryAfter}: {a.Body}"));
        var lostConnections = attempts.Where(a => a.Status == 0).ToList();
        Assert.All(lostConnections, a => Assert.True(faults.Any(f => a.At + a.Latency >= f.KilledAt && a.At <= f.BackAt + TimeSpan.FromSeconds(10)),
            $"{a.Step} lost its connection at {a.At.TotalSeconds:F1}s, outside every fault: {a.Body}"));

        var server = await app.GetConnectionStringAsync("eu-postgres") ?? throw new InvalidOperationException("no connection string");
        await using var db = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "reseller_acme", Pooling = false }.ConnectionString);
        await db.OpenAsync();
        async Task<long> CountAsync(string sql, params object[] values)
        {
            await using var cmd = new Npgsql.NpgsqlCommand(sql, db);
            foreach (var value in values)
            {
                cmd.Parameters.Add(new() { Value = value });
            }

            return (long)(await cmd.ExecuteScalarAsync())!;
        }

        var eventGuid = Guid.Parse(eventId);
        // 0 oversold, and sold out: every unit sold once
        Assert.Equal(Capacity, await CountAsync("SELECT count(*) FROM tickets WHERE event_id = $1 AND status = 'valid'", eventGuid));
        Assert.Equal(Capacity, await CountAsync("SELECT count(DISTINCT seat_id) FROM tickets WHERE event_id = $1 AND status = 'valid'", eventGuid));
        Assert.Equal(Capacity, await CountAsync("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 2", eventGuid));
        // nothing acknowledged lost
        Assert.Equal(_holds.Count, await CountAsync("SELECT count(*) FROM holds WHERE id = ANY ($1)", _holds.Keys.Select(Guid.Parse).ToArray()));
        Assert.Equal(_orders.Count, await CountAsync("SELECT count(*) FROM orders WHERE id = ANY ($1) AND status = 'confirmed'", _orders.Keys.Select(Guid.Parse).ToArray()));
        Assert.Equal(_orders.Count, await CountAsync("SELECT count(*) FROM orders WHERE event_id = $1", eventGuid));

        // every order.confirmed delivered; a message delivered twice (at least once) carries the same webhook-id
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        List<WebhookReceiver.Received> ours;
        do
        {
            await Task.Delay(500);
            ours = [.. receiver.Requests.Where(r => r.Status == 200 && (string?)r.Json["data"]!["event_id"] == eventId)];
        }
        while (ours.Select(r => (string)r.Json["data"]!["order_id"]!).Distinct().Count() < _orders.Count && DateTime.UtcNow < deadline);

        var delivered = ours.GroupBy(r => (string)r.Json["data"]!["order_id"]!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var duplicates = ours.Count - delivered.Count;
        output.WriteLine($"webhooks: {delivered.Count} orders delivered to the receiver in {ours.Count} deliveries ({duplicates} repeated, deduplicated by webhook-id); "
            + $"{await CountAsync("SELECT count(*) FROM outbox WHERE topic = 'order.confirmed' AND event_id = $1 AND processed_at IS NULL", eventGuid)} left in the outbox");
        Assert.Equal(_orders.Keys.Order(StringComparer.Ordinal), delivered.Keys.Order(StringComparer.Ordinal));
        Assert.All(delivered.Values, copies => Assert.Single(copies.Select(r => r.Id).Distinct()));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE topic = 'order.confirmed' AND event_id = $1 AND processed_at IS NULL", eventGuid));
        using var deleted = await http.DeleteAsync($"/v1/webhooks/endpoints/{endpoint.Id()}");
    }

    /// <summary>One purchase of one ticket, each step retried until it has a final answer; the outcome's name.</summary>
    private async Task<string> PurchaseAsync(HttpClient http, HttpClient browser, string eventId, string classId, string customer, CancellationToken ct)
    {
        var hold = await SendAsync(http, "hold", "/v1/holds",
            new { event_id = eventId, customer_ref = customer, tickets = new[] { new { class_id = classId, quantity = 1 } }, expire_in_seconds = HoldSeconds }, ct);
        if (hold is not { Status: 201, Json: { } held })
        {
            return hold?.Code ?? "gave_up";
        }

        var holdId = held.Id();
        _holds[holdId] = true;
        var payment = await SendAsync(http, "payment", $"/v1/holds/{holdId}/payment", new { }, ct);
        if (payment is not { Status: 200, Json: { } intent })
        {
            return payment?.Code ?? "gave_up";
        }

        if (!await PayAtPspAsync(browser, intent, ct))
        {
            return "psp_failed";
        }

        var confirm = await SendAsync(http, "confirm", $"/v1/holds/{holdId}/confirm", new { }, ct);
        if (confirm is not { Status: 200, Json: { } order })
        {
            return confirm?.Code ?? "gave_up";
        }

        _orders[order.Id()] = true;
        return "confirmed";
    }

    private sealed record Answer(int Status, string? Code, JsonObject? Json);

    /// <summary>
    /// Sends a keyed POST until the answer is final: a lost connection, 503, 202 (payment pending) and 409
    /// <c>idempotency_key_in_use</c> are tried again with the same key after the <c>Retry-After</c> (at most 1 s).
    /// </summary>
    private async Task<Answer?> SendAsync(HttpClient http, string step, string path, object body, CancellationToken ct)
    {
        var key = $"\"{Guid.NewGuid():N}\"";
        var giveUp = _clock.Elapsed + StepDeadline;
        for (var attempt = 1; _clock.Elapsed < giveUp && !ct.IsCancellationRequested; attempt++)
        {
            var sentAt = _clock.Elapsed;
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Api.Json) };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            TimeSpan retryIn;
            try
            {
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                JsonObject? json = null;
                try
                {
                    json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
                }
                catch (System.Text.Json.JsonException)
                {
                }

                var status = (int)response.StatusCode;
                var code = (string?)json?["code"];
                _attempts.Enqueue(new Attempt(step, sentAt, _clock.Elapsed - sentAt, status, code, response.Headers.RetryAfter is not null, text.Length > 300 ? text[..300] : text,
                    attempt, response.Headers.Contains("Idempotent-Replayed")));
                if (status is not (503 or 202) && !(status == 409 && code == "idempotency_key_in_use"))
                {
                    return new Answer(status, code, json);
                }

                retryIn = response.Headers.RetryAfter?.Delta is { } delta && delta < TimeSpan.FromSeconds(1) ? delta : TimeSpan.FromSeconds(1);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                _attempts.Enqueue(new Attempt(step, sentAt, _clock.Elapsed - sentAt, 0, ex.GetType().Name, false, ex.Message, attempt));
                retryIn = TimeSpan.FromMilliseconds(200);
            }

            await Task.Delay(retryIn, CancellationToken.None);
        }

        return null;
    }

    /// <summary>The buyer's browser paying at the PSP (which no fault touches); a lost connection is tried again.</summary>
    private static async Task<bool> PayAtPspAsync(HttpClient browser, JsonObject intent, CancellationToken ct)
    {
        var psp = intent["psp"]!;
        for (var attempt = 0; attempt < 20 && !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                using var response = await browser.PostAsJsonAsync((string)psp["confirm_url"]!,
                    new { client_secret = (string)psp["client_secret"]!, card_number = Cards.Success }, ct);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
            }

            await Task.Delay(500, CancellationToken.None);
        }

        return false;
    }

    /// <summary>The running processes (replica id, pid) of <paramref name="resource"/>, at least <paramref name="count"/>.</summary>
    private static async Task<List<(string Id, int Pid)>> RunningProcessesAsync(DistributedApplication app, string resource, int count)
    {
        var pids = new Dictionary<string, int>(StringComparer.Ordinal);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in app.ResourceNotifications.WatchAsync(cts.Token))
        {
            if (e.Resource.Name == resource && e.Snapshot.State?.Text == KnownResourceStates.Running
                && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
                && int.TryParse(value.ToString(), CultureInfo.InvariantCulture, out var pid))
            {
                pids[e.ResourceId] = pid;
                if (pids.Count >= count)
                {
                    break;
                }
            }
        }

        return [.. pids.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];
    }

    /// <summary>SIGKILL to a service's process tree; after <see cref="Down"/> it is started again (what an orchestrator does).</summary>
    private async Task<Fault> KillAndRestartAsync(DistributedApplication app, ResourceCommandService commands, string name, string resourceId, int pid)
    {
        var killedAt = Kill(pid, name);
        await WaitForStateAsync(app, resourceId, KnownResourceStates.TerminalStates, TimeSpan.FromSeconds(30));
        await Task.Delay(Down);
        var start = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, CancellationToken.None);
        Assert.True(start.Success, $"start {resourceId}: {start.Message}");
        await WaitForStateAsync(app, resourceId, [KnownResourceStates.Running], TimeSpan.FromSeconds(60));
        var backAt = _clock.Elapsed;
        output.WriteLine($"{name} ({resourceId}) killed at {killedAt.TotalSeconds:F1}s, started again at {backAt.TotalSeconds:F1}s");
        return new Fault(name, killedAt, backAt);
    }

    /// <summary>SIGKILL to a process the AppHost heals (starts again by itself): waits until it runs again.</summary>
    private async Task<Fault> KillAndWaitForHealingAsync(DistributedApplication app, string name, string resourceId, int pid)
    {
        // the kill happens once the watch is on: the healer may restart the process within a second, and a watch begun
        // after that would see it Running again without ever seeing it down
        var terminal = KnownResourceStates.TerminalStates.ToHashSet(StringComparer.Ordinal);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        TimeSpan? killedAt = null;
        var down = false;
        string? last = null;
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(cts.Token))
            {
                killedAt ??= Kill(pid, name);
                if (e.ResourceId != resourceId && e.Resource.Name != resourceId)
                {
                    continue;
                }

                last = e.Snapshot.State?.Text;
                down |= last is not null && terminal.Contains(last);
                if (down && last == KnownResourceStates.Running)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(down && last == KnownResourceStates.Running, $"{resourceId} was not seen down and running again within 90 s (down: {down}, last state {last})");
        var backAt = _clock.Elapsed;
        output.WriteLine($"{name} ({resourceId}) killed at {killedAt!.Value.TotalSeconds:F1}s, running again by itself at {backAt.TotalSeconds:F1}s");
        return new Fault(name, killedAt.Value, backAt);
    }

    private TimeSpan Kill(int pid, string name)
    {
        using var process = Process.GetProcessById(pid);
        var at = _clock.Elapsed;
        process.Kill(entireProcessTree: true);
        output.WriteLine($"{at.TotalSeconds:F1}s: SIGKILL {name} (pid {pid}) with {_orders.Count} orders confirmed");
        return at;
    }

    private static async Task WaitForStateAsync(DistributedApplication app, string resourceId, IEnumerable<string> states, TimeSpan timeout)
    {
        var wanted = states.ToHashSet(StringComparer.Ordinal);
        using var cts = new CancellationTokenSource(timeout);
        string? last = null;
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(cts.Token))
            {
                if (e.ResourceId == resourceId || e.Resource.Name == resourceId)
                {
                    last = e.Snapshot.State?.Text;
                    if (last is not null && wanted.Contains(last))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"{resourceId} did not reach {string.Join("/", wanted)} within {timeout.TotalSeconds:F0}s (last state {last})");
    }

    private void Report(List<Fault> faults, List<Attempt> attempts, TimeSpan soldAt)
    {
        output.WriteLine($"sold out: {_orders.Count} orders of 1 ticket, {_holds.Count} holds acknowledged, {attempts.Count} API calls, in {soldAt.TotalSeconds:F1}s");
        output.WriteLine($"all calls: {Summary(attempts)}; latency {Percentiles(attempts.ConvertAll(a => a.Latency))}");
        output.WriteLine("retries (tries after the first), by step and answer: " + string.Join(", ", attempts.Where(a => a.Try > 1)
            .GroupBy(a => $"{a.Step} {(a.Status == 0 ? "lost connection" : $"{a.Status} {a.Code}")}{(a.Replayed ? " replayed" : "")}")
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()} (up to try {g.Max(a => a.Try)})")));
        output.WriteLine("first tries that were not final: " + string.Join(", ", attempts.Where(a => a.Try == 1 && (a.Status is 0 or 503 or 202 || a.Code == "idempotency_key_in_use"))
            .GroupBy(a => $"{a.Step}: {a.Status} {a.Code}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}")));
        foreach (var fault in faults)
        {
            // the window: from the kill until 10 s after the process ran again
            var window = attempts.Where(a => a.At + a.Latency >= fault.KilledAt && a.At <= fault.BackAt + TimeSpan.FromSeconds(10)).ToList();
            var firstOk = window.Where(a => a.At >= fault.KilledAt && a.Status is 200 or 201).Select(a => a.At + a.Latency).DefaultIfEmpty(TimeSpan.MaxValue).Min();
            output.WriteLine($"{fault.Name}: down {(fault.BackAt - fault.KilledAt).TotalSeconds:F1}s; first success after the kill "
                + (firstOk == TimeSpan.MaxValue ? "none" : $"{(firstOk - fault.KilledAt).TotalSeconds:F2}s")
                + $"; calls in the window {Summary(window)}; latency {Percentiles(window.ConvertAll(a => a.Latency))}");
        }
    }

    private static string Summary(List<Attempt> attempts) =>
        string.Join(", ", attempts.GroupBy(a => a.Status == 0 ? $"lost connection ({a.Code})" : $"{a.Status}{(a.Code is null ? "" : " " + a.Code)}")
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));

    private static string Percentiles(List<TimeSpan> latencies)
    {
        if (latencies.Count == 0)
        {
            return "none";
        }

        var sorted = latencies.Select(l => l.TotalMilliseconds).Order().ToList();
        double At(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return new StringBuilder().Append(CultureInfo.InvariantCulture, $"p50 {At(0.50):F0} ms, p99 {At(0.99):F0} ms, max {sorted[^1]:F0} ms").ToString();
    }
}
