using Aspire.Hosting.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>The live-updates mode: boot, create the event, connect the watchers, sell the event out, wait for the deliveries, report.</summary>
public sealed class WatchersRun(WatchersOptions options, string pgbench, string repoRoot)
{
    private readonly CpuSampler _cpu = new();

    /// <summary>Runs everything; returns the process exit code.</summary>
    public async Task<int> RunAsync(string command, CancellationToken ct)
    {
        var report = new WatchersReport
        {
            Options = options,
            Machine = await MachineInfo.ReadAsync(pgbench, ct),
            Command = command,
            BusyBeforeStart = await MachineInfo.BusyShareAsync(TimeSpan.FromSeconds(1), ct),
            FileLimit = FileLimit(),
        };
        BenchRun.Progress($"machine: {report.Machine.Cores} cores, {report.Machine.Memory}; CPU busy before start {report.BusyBeforeStart * 100 * report.Machine.Cores:F0} % of {report.Machine.Cores * 100} %; open files limit {report.FileLimit}");
        if (report.FileLimit is { } limit && limit < options.Watchers + 1000)
        {
            report.Checks.Add(("open files limit covers the watchers", false, $"ulimit -n is {limit}, {options.Watchers:N0} watchers need about {options.Watchers + 1000:N0}"));
        }

        var dataDir = ApiReplicas.DataDirectory();
        try
        {
            // every watcher connects from 127.0.0.1: the anonymous per-IP budget (600/min) is raised for the run
            var env = new List<KeyValuePair<string, string>> { new("RateLimiting__Anonymous__PermitLimit", "1000000") };
            if (options.SheddingMaxInFlight > 0)
            {
                env.Add(new("Shedding__MaxInFlight", options.SheddingMaxInFlight.ToString(CultureInfo.InvariantCulture)));
            }

            await using var app = await BenchApp.StartAsync(dataDir, options.Durable, env, null, ct);
            await MeasureAsync(app, report, ct);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            BenchRun.Failed(report.Checks, ex);
        }
        finally
        {
            BenchApp.DeleteDataDir(dataDir);
        }

        if (report.Sale is not null && report.Delivery is not null)
        {
            report.Plots.AddRange(WatchersPlots.Write(report.Sale, report.Delivery, options.PlotDirectory ?? Path.Combine(repoRoot, "bench"), report.Notes));
        }

        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        var outDir = options.OutputDirectory ?? Path.Combine(repoRoot, "bench", "out");
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, $"watchers-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.md");
        await File.WriteAllTextAsync(file, markdown, CancellationToken.None);
        BenchRun.Progress($"report written to {file}");
        return report.Checks.All(c => c.Ok) ? 0 : 1;
    }

    private async Task MeasureAsync(BenchApp app, WatchersReport report, CancellationToken ct)
    {
        var server = await app.PostgresAsync(ct);
        await using var db = new BenchDatabase(server, BenchApp.ResellerDatabase);
        report.PostgresVersion = (await BenchApp.PostgresPortsAsync(server, db, ct)).Version;
        var pids = ApiReplicas.Processes(_cpu);
        var replicas = await ApiReplicas.EndpointsAsync(app.App, Math.Max(1, pids.Count), ct);
        report.Replicas = replicas;
        BenchRun.Progress($"eu-api replicas: {string.Join(", ", replicas)} (processes {string.Join(", ", pids)})");
        using var api = await app.IntegratorClientAsync(Math.Max(options.Buyers, 16), ct);
        using var psp = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(options.Buyers, 16),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        }) { Timeout = TimeSpan.FromSeconds(60) };

        var setup = Stopwatch.StartNew();
        var eventId = await BenchEvents.CreateAsync(api, "HoldBench live updates", options.Seats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var seats = await BenchEvents.SeatIdsAsync(api, eventId, ct);
        var warmEvent = await BenchEvents.CreateAsync(api, "HoldBench live updates: warm-up", 4 * options.SeatsPerHold, ct).WaitAsync(TimeSpan.FromMinutes(1), ct);
        var warmSeats = await BenchEvents.SeatIdsAsync(api, warmEvent, ct);
        await db.ExecuteAsync("ANALYZE seats; ANALYZE holds; ANALYZE hold_items; ANALYZE events; ANALYZE ticket_classes", ct);
        report.EventId = eventId;
        report.Setup = setup.Elapsed;
        BenchRun.Progress($"event {eventId} ({options.Seats:N0} seats) and a warm-up event in {setup.Elapsed.TotalSeconds:F1} s");

        // one handler for every watcher: a connection each (HTTP/1.1, one stream per connection), no pool limit
        using var watchersHttp = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
            UseCookies = false,
        }) { Timeout = Timeout.InfiniteTimeSpan };
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sale = new LiveSale(eventId, seats, options.SaleLimitSeconds + 120);
        var readers = new ConcurrentBag<Task>();
        var responses = new ConcurrentBag<HttpResponseMessage>();
        var connectFailures = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var connectLatency = new LongHistogram(600_000_000, 3);

        async Task<SseWatcher?> OpenAsync(int index, LiveSale watched, CancellationToken watching)
        {
            var replica = index % replicas.Count;
            var watcher = new SseWatcher(index, replica, watched);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(replicas[replica], $"v1/events/{watched.EventId}/stream"));
            request.Headers.Host = BenchApp.ResellerHost;
            request.Headers.Accept.ParseAdd("text/event-stream");
            var started = Stopwatch.GetTimestamp();
            string? failure = null;
            try
            {
                using var headers = CancellationTokenSource.CreateLinkedTokenSource(watching);
                headers.CancelAfter(TimeSpan.FromSeconds(60));
                var response = await watchersHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failure = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && (await response.Content.ReadAsStringAsync(watching)).Contains("\"overloaded\"", StringComparison.Ordinal))
                    {
                        failure = "503 overloaded";
                    }

                    response.Dispose();
                }
                else
                {
                    responses.Add(response);
                    readers.Add(watcher.ReadAsync(response, watching));
                    await watcher.Snapshot.WaitAsync(TimeSpan.FromSeconds(60), watching);
                    lock (connectLatency)
                    {
                        connectLatency.RecordValue(Math.Max(1, (Stopwatch.GetTimestamp() - started) * 1_000_000 / Stopwatch.Frequency));
                    }

                    return watcher;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException
                                           || (ex is OperationCanceledException && !watching.IsCancellationRequested))
            {
                failure = ex is HttpRequestException h ? "error: " + h.HttpRequestError : ex is InvalidOperationException ? "stream ended before its snapshot" : "timeout";
            }

            connectFailures.AddOrUpdate(failure ?? "?", 1, (_, n) => n + 1);
            return null;
        }

        // ---- warm-up: a few watchers and two purchases, so the baseline has every code path loaded ----
        using (var warmStop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var warmSale = new LiveSale(warmEvent, warmSeats, 120);
            var warmWatchers = await Task.WhenAll(Enumerable.Range(0, 10 * replicas.Count).Select(i => OpenAsync(i, warmSale, warmStop.Token)));
            await warmSale.SellAsync(api, psp, 2, options.SeatsPerHold, options.Confirm, TimeSpan.FromSeconds(60), ct);
            await Task.Delay(1500, ct);
            await warmStop.CancelAsync();
            BenchRun.Progress($"warm-up: {warmWatchers.Count(w => w is not null)} watchers, {warmSale.HeldChanges.Total} seats held, {warmSale.SoldChanges.Total} sold (not measured)");
        }

        foreach (var r in responses)
        {
            r.Dispose();
        }

        responses.Clear();
        readers.Clear();
        connectFailures.Clear();
        connectLatency.Reset();
        // a closed stream leaves the API's read-latency average (load shedding) high for a while: let it decay
        await Task.Delay(TimeSpan.FromSeconds(8), ct);
        report.MemoryBefore = ApiReplicas.Memory(pids);
        BenchRun.Progress($"API memory before the watchers: {string.Join(", ", report.MemoryBefore.Select(m => $"pid {m.Pid} {m.RssKib / 1024.0:F0} MiB"))}");

        // ---- connect ----
        BenchRun.Progress($"connecting {options.Watchers:N0} watchers over {replicas.Count} replicas, {options.ConnectConcurrency} at a time");
        var connect = Stopwatch.StartNew();
        var cpu0 = CpuSampler.Take();
        var watchers = new SseWatcher?[options.Watchers];
        using (var gate = new SemaphoreSlim(options.ConnectConcurrency))
        {
            var opened = 0;
            await Task.WhenAll(Enumerable.Range(0, options.Watchers).Select(async i =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    watchers[i] = await OpenAsync(i, sale, stopWatching.Token);
                    var n = Interlocked.Increment(ref opened);
                    if (n % 1000 == 0)
                    {
                        BenchRun.Progress($"  {n:N0} streams opened ({connectFailures.Values.Sum():N0} failed)");
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        report.ConnectElapsed = connect.Elapsed;
        report.ConnectCpu = _cpu.Diff(cpu0, CpuSampler.Take());
        report.ConnectLatency = connectLatency;
        report.ConnectFailures = new SortedDictionary<string, long>(connectFailures, StringComparer.Ordinal);
        var live = watchers.Where(w => w is not null).Select(w => w!).ToList();
        report.Watchers = live;
        BenchRun.Progress($"{live.Count:N0} watchers connected in {connect.Elapsed.TotalSeconds:F1} s (snapshot p50 {connectLatency.GetValueAtPercentile(50) / 1000.0:F0} ms, p99 {connectLatency.GetValueAtPercentile(99) / 1000.0:F0} ms); failures: {(connectFailures.IsEmpty ? "none" : string.Join(", ", connectFailures.Select(kv => $"{kv.Key} × {kv.Value}")))}");
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        report.MemoryConnected = ApiReplicas.Memory(pids);
        BenchRun.Progress($"API memory with {live.Count:N0} watchers: {string.Join(", ", report.MemoryConnected.Select(m => $"pid {m.Pid} {m.RssKib / 1024.0:F0} MiB"))}; " +
            $"{(report.MemoryConnected.Sum(m => m.RssKib) - report.MemoryBefore.Sum(m => m.RssKib)) / (double)Math.Max(1, live.Count):F1} KiB per watcher");

        // ---- sell out ----
        BenchRun.Progress($"selling {options.Seats:N0} seats, {options.SeatsPerHold} per hold, {options.Buyers} buyers in flight, {(options.Confirm ? "hold → payment → PSP confirm → confirm" : "holds only")}");
        using var ticker = new CancellationTokenSource();
        var progress = Task.Run(async () =>
        {
            while (!ticker.IsCancellationRequested)
            {
                await Task.Delay(5000, ticker.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (!ticker.IsCancellationRequested)
                {
                    BenchRun.Progress($"  held {sale.HeldChanges.Total:N0}, sold {sale.SoldChanges.Total:N0} of {options.Seats:N0}; deliveries {live.Sum(w => (long)w.ReceivedCount):N0}");
                }
            }
        }, CancellationToken.None);
        var cpu1 = CpuSampler.Take();
        report.SaleElapsed = await sale.SellAsync(api, psp, options.Buyers, options.SeatsPerHold, options.Confirm, TimeSpan.FromSeconds(options.SaleLimitSeconds), ct);
        report.Sale = sale;
        BenchRun.Progress($"sale done in {report.SaleElapsed.TotalSeconds:F1} s: {sale.HeldChanges.Total:N0} seats held, {sale.SoldChanges.Total:N0} sold");

        // ---- drain: until every watcher has every change the bench made, or the drain limit ----
        var made = sale.ChangedAt.Count(t => t != 0);
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(options.DrainSeconds) && live.Any(w => w.ReceivedCount < made))
        {
            await Task.Delay(100, ct);
        }

        report.DrainElapsed = drain.Elapsed;
        report.SaleCpu = _cpu.Diff(cpu1, CpuSampler.Take());
        await ticker.CancelAsync();
        await progress;
        report.MemoryAfterSale = ApiReplicas.Memory(pids);
        BenchRun.Progress($"deliveries complete after {drain.Elapsed.TotalSeconds:F1} s of drain: {live.Count(w => w.ReceivedCount >= made):N0} of {live.Count:N0} watchers have all {made:N0} changes");
        report.Delivery = WatchersDelivery.Compute(sale, live);
        var ended = live.Count(w => w.EndedEarly is not null);

        // ---- close, then probe: does closing thousands of streams move the API's shedding? ----
        BenchRun.Progress("closing the watchers; probing the API for 10 s");
        await stopWatching.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        foreach (var r in responses)
        {
            r.Dispose();
        }

        report.AfterClose = await ProbeAsync(app, eventId, TimeSpan.FromSeconds(10), ct);
        BenchRun.Progress($"after closing: {string.Join(", ", report.AfterClose.Statuses.Select(kv => $"{kv.Key} × {kv.Value}"))}");

        // ---- checks ----
        var d = report.Delivery;
        var expected = options.Confirm ? options.Seats * 2 : options.Seats;
        report.Checks.Add(($"every watcher connected and got its snapshot ({options.Watchers:N0})", live.Count == options.Watchers,
            $"{live.Count:N0} of {options.Watchers:N0}" + (connectFailures.IsEmpty ? "" : "; " + string.Join(", ", connectFailures.Select(kv => $"{kv.Key} × {kv.Value:N0}")))));
        report.Checks.Add(($"the event sold out: {expected:N0} changes made ({(options.Confirm ? "held and sold" : "held")})", d.ChangesMade == expected,
            $"{d.ChangesMade:N0} changes ({sale.HeldChanges.Total:N0} held, {sale.SoldChanges.Total:N0} sold)"));
        report.Checks.Add(("no watcher missed a change", d.Missed == 0,
            d.Missed == 0 ? $"{d.PairsDelivered:N0} of {d.PairsExpected:N0} (watcher, change) pairs delivered"
                : $"{d.Missed:N0} missed by {d.WatchersMissing:N0} watchers (at most {d.MaxMissedByOne:N0} by one) after {options.DrainSeconds} s of drain"));
        report.Checks.Add(("no change delivered twice to a watcher", live.Sum(w => w.Duplicates) == 0, $"{live.Sum(w => w.Duplicates):N0} duplicates"));
        report.Checks.Add(("no seat change the bench did not make (other statuses, unknown seats)", live.Sum(w => w.Unexpected) == 0 && d.UnknownChanges == 0,
            $"{live.Sum(w => w.Unexpected):N0} unexpected, {d.UnknownChanges:N0} without a known answer"));
        report.Checks.Add(("no stream ended before the bench closed it", ended == 0,
            ended == 0 ? "" : string.Join("; ", live.Where(w => w.EndedEarly is not null).GroupBy(w => w.EndedEarly).Select(g => $"{g.Count():N0} × {g.Key}"))));
        var purchaseFailures = sale.Phases.SelectMany(p => p.Statuses.Where(kv => kv.Key is not ("200" or "201")).Select(kv => $"{p.Name} {kv.Key} × {kv.Value:N0}")).ToList();
        report.Checks.Add(("every purchase request answered 200/201", purchaseFailures.Count == 0, string.Join(", ", purchaseFailures)));
        var counts = report.Counts = await db.OnSaleAsync(eventId, ct);
        if (options.Confirm)
        {
            report.Checks.Add(("Postgres: every seat sold once (sold seats = valid tickets = seats)",
                counts.SoldSeats == options.Seats && counts.ValidTickets == options.Seats && counts.SeatsSoldTwice == 0,
                $"{counts.SoldSeats:N0} sold seats, {counts.ValidTickets:N0} valid tickets, {counts.SeatsSoldTwice} sold twice"));
        }

        foreach (var (check, violations) in await db.InvariantsAsync(ct))
        {
            report.Checks.Add(($"no {check} (whole database)", violations == 0, violations == 0 ? "" : $"{violations:N0} found"));
        }
    }

    /// <summary>An event-page GET every 250 ms through the endpoint: what the API answers right after the watchers left.</summary>
    private static async Task<ProbeResult> ProbeAsync(BenchApp app, Guid eventId, TimeSpan span, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = app.App.GetEndpoint("eu-api", "http"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Host = BenchApp.ResellerHost;
        var statuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        double? lastShed = null;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < span)
        {
            string outcome;
            try
            {
                using var response = await http.GetAsync($"/v1/events/{eventId}", ct);
                outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    lastShed = sw.Elapsed.TotalSeconds;
                }
            }
            catch (HttpRequestException ex)
            {
                outcome = "error: " + ex.HttpRequestError;
            }

            statuses[outcome] = statuses.GetValueOrDefault(outcome) + 1;
            await Task.Delay(250, ct);
        }

        return new ProbeResult(statuses, lastShed);
    }

    private static long? FileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>What the API answered to the event-page probes after the watchers left, and when the last 503 came (s after closing).</summary>
public sealed record ProbeResult(IReadOnlyDictionary<string, long> Statuses, double? LastShedSeconds);
