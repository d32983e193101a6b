using Aspire.Hosting.Testing;
using System.Diagnostics;
using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>The browse-under-load mode: boot, create the events, warm up, one open-loop step per rate with the hold load alongside, report.</summary>
public sealed class BrowseRun(BrowseOptions options, string pgbench, string repoRoot)
{
    private readonly CpuSampler _cpu = new();

    /// <summary>Runs everything; returns the process exit code.</summary>
    public async Task<int> RunAsync(string command, CancellationToken ct)
    {
        var report = new BrowseReport
        {
            Options = options,
            Machine = await MachineInfo.ReadAsync(pgbench, ct),
            Command = command,
            BusyBeforeStart = await MachineInfo.BusyShareAsync(TimeSpan.FromSeconds(1), ct),
        };
        BenchRun.Progress($"machine: {report.Machine.Cores} cores, {report.Machine.Memory}; CPU busy before start {report.BusyBeforeStart * 100 * report.Machine.Cores:F0} % of {report.Machine.Cores * 100} %");
        var dataDir = ApiReplicas.DataDirectory();
        try
        {
            // every browsing request comes from 127.0.0.1: the anonymous per-IP budget (600/min) would answer 429 to
            // nearly all of them, so it is raised; the limiter still runs (one Redis round trip per request)
            await using var app = await BenchApp.StartAsync(dataDir, options.Durable, [new("RateLimiting__Anonymous__PermitLimit", "1000000")], null, ct);
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

        if (report.Steps.Count > 0)
        {
            report.Plots.AddRange(BrowsePlots.Write(report.Steps, options.PlotDirectory ?? Path.Combine(repoRoot, "bench"), report.Notes));
        }

        report.AddChecks();
        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        var outDir = options.OutputDirectory ?? Path.Combine(repoRoot, "bench", "out");
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, $"browse-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.md");
        await File.WriteAllTextAsync(file, markdown, CancellationToken.None);
        BenchRun.Progress($"report written to {file}");
        return report.Checks.All(c => c.Ok) ? 0 : 1;
    }

    private async Task MeasureAsync(BenchApp app, BrowseReport report, CancellationToken ct)
    {
        var server = await app.PostgresAsync(ct);
        await using var db = new BenchDatabase(server, BenchApp.ResellerDatabase);
        report.PostgresVersion = (await BenchApp.PostgresPortsAsync(server, db, ct)).Version;
        report.ApiProcesses = ApiReplicas.Processes(_cpu).Count;
        using var stopLogs = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var logs = Task.Run(() => ApiReplicas.CollectFailuresAsync(app.App, report.ApiFailures, 60, stopLogs.Token), CancellationToken.None);
        try
        {
            await MeasureStepsAsync(app, db, report, ct);
        }
        finally
        {
            await Task.Delay(500, CancellationToken.None);
            await stopLogs.CancelAsync();
            await logs;
        }
    }

    private async Task MeasureStepsAsync(BenchApp app, BenchDatabase db, BrowseReport report, CancellationToken ct)
    {
        using var integrator = await app.IntegratorClientAsync(Math.Max(options.HoldWorkers, 16), ct);

        var setup = Stopwatch.StartNew();
        var browsed = await BenchEvents.CreateAsync(integrator, "HoldBench browse", options.Seats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        report.EventId = browsed;
        Guid[] holdSeats = [];
        if (options.HoldWorkers > 0)
        {
            var holdEvent = await BenchEvents.CreateAsync(integrator, "HoldBench browse: hold load", options.HoldSeats, ct).WaitAsync(TimeSpan.FromMinutes(3), ct);
            holdSeats = await BenchEvents.SeatIdsAsync(integrator, holdEvent, ct);
        }

        await db.ExecuteAsync("ANALYZE seats; ANALYZE holds; ANALYZE hold_items; ANALYZE events; ANALYZE ticket_classes", ct);
        report.Setup = setup.Elapsed;
        BenchRun.Progress($"browsed event {browsed} ({options.Seats:N0} seats){(options.HoldWorkers > 0 ? $" and hold-load event ({options.HoldSeats:N0} seats)" : "")} in {setup.Elapsed.TotalSeconds:F1} s; {report.ApiProcesses} eu-api processes");

        // public: no token, the reseller's host; through the cell's one endpoint (Aspire's proxy over the replicas)
        using var browser = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        }) { BaseAddress = app.App.GetEndpoint("eu-api", "http"), Timeout = TimeSpan.FromSeconds(30) };
        browser.DefaultRequestHeaders.Host = BenchApp.ResellerHost;
        var load = new BrowseLoad(browser, browsed, options.SeatMapShare);

        // ---- the hold load: closed loop alongside every step (the phases share the seat counter) ----
        var holdLoad = options.HoldWorkers > 0 ? new HttpLoad(integrator, await HoldEventAsync(db, holdSeats, ct), holdSeats) : null;
        if (holdLoad is not null)
        {
            BenchRun.Progress($"hold load: {options.HoldWorkers} closed-loop workers, one seat per hold, during the warm-up and every step");
        }

        Task<HttpLoadResult?> Holds(int seconds) => holdLoad is null
            ? Task.FromResult<HttpLoadResult?>(null)
            : Task.Run<HttpLoadResult?>(async () => await holdLoad.RunAsync(options.HoldWorkers, TimeSpan.FromSeconds(seconds), ct), CancellationToken.None);

        if (options.WarmupSeconds > 0)
        {
            var warmHolds = Holds(options.WarmupSeconds);
            var warm = await load.RunStepAsync(options.Rates[0], options.WarmupSeconds, ct);
            await warmHolds;
            BenchRun.Progress($"warm-up: {options.Rates[0]}/s for {options.WarmupSeconds} s, {warm.EventPage.Total + warm.SeatMap.Total:N0} requests (not measured)");
            await Task.Delay(1000, ct);
        }

        foreach (var rate in options.Rates)
        {
            BenchRun.Progress($"step {rate}/s for {options.StepSeconds} s");
            var cpu0 = CpuSampler.Take();
            using var ticker = new CancellationTokenSource();
            var holdTask = Holds(options.StepSeconds);
            var stepTask = load.RunStepAsync(rate, options.StepSeconds, ct);
            var progress = Task.Run(async () =>
            {
                var seconds = 0;
                while (!ticker.IsCancellationRequested)
                {
                    await Task.Delay(5000, ticker.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    seconds += 5;
                    if (!ticker.IsCancellationRequested && seconds < options.StepSeconds)
                    {
                        BenchRun.Progress($"  {rate}/s: {seconds} s, holds so far {holdLoad?.CreatedSoFar ?? 0:N0}");
                    }
                }
            }, CancellationToken.None);
            var step = await stepTask;
            var holdResult = await holdTask;
            var cpu1 = CpuSampler.Take();
            await ticker.CancelAsync();
            await progress;
            report.Steps.Add(step);
            report.StepCpu.Add(_cpu.Diff(cpu0, cpu1));
            report.StepHolds.Add(holdResult);
            var served = step.Served();
            BenchRun.Progress($"step {rate}/s: {step.EventPage.Total + step.SeatMap.Total:N0} answers in {step.ElapsedSeconds:F1} s, " +
                $"served p50 {BrowseKind.Ms(served, 50)} ms p99 {BrowseKind.Ms(served, 99)} ms, " +
                $"503 {step.EventPage.Count("503 overloaded") + step.SeatMap.Count("503 overloaded"):N0}" +
                (holdResult is null ? "" : $", holds {holdResult.HoldsPerSecond:N0}/s p99 {holdResult.Ms(99):F1} ms"));
            if (holdResult is { SeatsExhausted: true })
            {
                report.Notes.Add($"the hold load ran out of seats during the {rate}/s step; raise --hold-seats");
            }

            await Task.Delay(2000, ct);   // a breath between steps: the shedding's latency average decays
        }
    }

    /// <summary>The event of the hold load's seats (the seat map call does not return it).</summary>
    private static async Task<Guid> HoldEventAsync(BenchDatabase db, Guid[] seats, CancellationToken ct) =>
        await db.ScalarAsync<Guid>("SELECT event_id FROM seats WHERE id = $1", ct, seats[0]);
}
