using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace TicketAspire.Bench.HoldBench;

/// <summary>One benchmark run: boot the AppHost, create events, closed-loop, open-loop and contention phases, the raw baseline, verify, report.</summary>
public sealed class BenchRun(BenchOptions options, string pgbench, string repoRoot)
{
    private const string ResellerDatabase = BenchApp.ResellerDatabase;
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly CpuSampler _cpu = new();

    /// <summary>
    /// A run that threw: says so on the console (with the stack) and as a failed check, keeping what was measured so far
    /// (the failure is part of the report).
    /// </summary>
    public static void Failed(List<(string Check, bool Ok, string Detail)> checks, Exception ex)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(ex);
        Progress($"FAILED: {ex.GetType().Name}: {ex.Message}");
        Console.Error.WriteLine(ex);
        checks.Add(("the run completed", false, $"{ex.GetType().Name}: {FirstLines(ex.Message, 6)}"));
    }

    /// <summary>Prints a progress line with the time since start.</summary>
    public static void Progress(string message) =>
        Console.WriteLine($"[{Clock.Elapsed.TotalSeconds,6:F1} s] {message}");

    /// <summary>Runs everything; returns the process exit code.</summary>
    public async Task<int> RunAsync(string command, CancellationToken ct)
    {
        var report = new BenchReport
        {
            Options = options,
            Machine = await MachineInfo.ReadAsync(pgbench, ct),
            Command = command,
            BusyBeforeStart = await MachineInfo.BusyShareAsync(TimeSpan.FromSeconds(1), ct),
        };
        Progress($"machine: {report.Machine.Cores} cores, {report.Machine.Memory}, .NET SDK {report.Machine.DotnetVersion}; CPU busy before start {report.BusyBeforeStart * 100 * report.Machine.Cores:F0} % of {report.Machine.Cores * 100} %");
        if (report.BusyBeforeStart > 0.25)
        {
            report.Notes.Add($"the machine was {report.BusyBeforeStart * 100 * report.Machine.Cores:F0} % busy (of {report.Machine.Cores * 100} %) before the run started: other processes share the cores, numbers are pessimistic");
            Progress("WARNING: something else is using the CPU; the numbers will be lower than on a quiet machine");
        }

        var dataDir = Path.Combine("/tmp", "ta-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var app = await BenchApp.StartAsync(dataDir, options.Durable, options.ApiEnvironment, options.ApiNpgsql, ct);
            report.Startup = Clock.Elapsed;
            await MeasureAsync(app, report, ct);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(report.Checks, ex);
        }
        finally
        {
            BenchApp.DeleteDataDir(dataDir);
        }

        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        var outDir = options.OutputDirectory ?? Path.Combine(repoRoot, "bench", "out");
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, $"holds-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.md");
        await File.WriteAllTextAsync(file, markdown, CancellationToken.None);
        Progress($"report written to {file}");
        return report.Checks.All(c => c.Ok) ? 0 : 1;
    }

    private async Task MeasureAsync(BenchApp app, BenchReport report, CancellationToken ct)
    {
        var server = await app.PostgresAsync(ct);
        await using var db = new BenchDatabase(server, ResellerDatabase);
        var (proxyHost, proxyPort, postgresPort, version) = await BenchApp.PostgresPortsAsync(server, db, ct);
        (report.ProxyPort, report.PostgresPort, report.PostgresVersion) = (proxyPort, postgresPort, version);
        Progress($"Postgres: DCP proxy {proxyHost}:{report.ProxyPort} -> postgres 127.0.0.1:{report.PostgresPort}");

        using var http = await app.IntegratorClientAsync(options.Concurrency, ct);
        Progress("integrator token from eu-identity (client credentials); every hold is authenticated");

        // ---- events: closed loop, open loop, contention; the raw baseline's own database ----
        var setup = Stopwatch.StartNew();
        var closedEvent = await BenchEvents.CreateAsync(http, "HoldBench closed loop", options.Seats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var openEvent = await BenchEvents.CreateAsync(http, "HoldBench open loop", options.Seats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var contentionEvent = await BenchEvents.CreateAsync(http, "HoldBench contention", options.ContentionSeats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var closedSeats = await BenchEvents.SeatIdsAsync(http, closedEvent, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var openSeats = await BenchEvents.SeatIdsAsync(http, openEvent, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var contentionSeats = await BenchEvents.SeatIdsAsync(http, contentionEvent, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        report.Checks.Add(("seat maps list every seat",
            closedSeats.Length == options.Seats && openSeats.Length == options.Seats && contentionSeats.Length == options.ContentionSeats,
            $"{closedSeats.Length:N0} + {openSeats.Length:N0} of {options.Seats:N0} each, {contentionSeats.Length} of {options.ContentionSeats}"));
        Progress($"created 3 events and read their seat maps in {setup.Elapsed.TotalSeconds:F1} s");
        await RawClaim.PrepareAsync(server, ct);
        // statistics as a long-running database would have them, so autovacuum's analyze does not land inside a phase
        await db.ExecuteAsync("ANALYZE seats; ANALYZE holds; ANALYZE hold_items; ANALYZE events; ANALYZE ticket_classes", ct);
        await db.ExecuteAsync("CHECKPOINT", ct);
        report.EventSetup = setup.Elapsed;

        // ---- 1. closed loop: the maximum rate ----
        // Postgres transactions per hold: pg_stat_database before the warm-up, and again >= 10 s after the phase (an idle
        // backend flushes its last second of counters only after PGSTAT_IDLE_INTERVAL, 10 s)
        var xactsBefore = await db.CommittedTransactionsAsync(ct);
        var load = new HttpLoad(http, closedEvent, closedSeats);
        if (options.WarmupSeconds > 0)
        {
            Progress($"HTTP warm-up: {options.Concurrency} workers for {options.WarmupSeconds} s (not counted)");
            report.Warmup = await load.RunAsync(options.Concurrency, TimeSpan.FromSeconds(options.WarmupSeconds), ct)
                .WaitAsync(TimeSpan.FromSeconds(options.WarmupSeconds + 120), ct);
            Progress($"warm-up: {report.Warmup.Created:N0} holds, statuses {Statuses(report.Warmup)}");
        }

        Progress($"closed loop: {options.Concurrency} workers for {options.DurationSeconds} s");
        var cpuStart = CpuSampler.Take();
        report.Http = await load.RunAsync(options.Concurrency, TimeSpan.FromSeconds(options.DurationSeconds), ct)
            .WaitAsync(TimeSpan.FromSeconds(options.DurationSeconds + 120), ct);
        var cpuEnd = CpuSampler.Take();
        report.HttpCpu = _cpu.Diff(cpuStart, cpuEnd);
        foreach (var (pid, cmd) in _cpu.ProcessesOf(cpuEnd, "eu-api"))
        {
            report.ApiProcesses.Add($"pid {pid}: {cmd}");
        }

        var h = report.Http;
        Progress($"closed loop: {h.HoldsPerSecond:N0} holds/s, p50 {h.Ms(50):F1} ms, p99 {h.Ms(99):F1} ms, statuses {Statuses(h)}");
        if (h.SeatsExhausted)
        {
            report.Notes.Add($"the closed-loop phase ran out of seats ({options.Seats:N0}); raise --seats");
        }

        await Task.Delay(TimeSpan.FromSeconds(10.5), ct);
        report.TransactionsPerHold = load.CreatedSoFar == 0 ? null : (double)(await db.CommittedTransactionsAsync(ct) - xactsBefore - 1) / load.CreatedSoFar;

        // ---- 2. open loop at a share of the maximum ----
        var rate = Math.Max(1, h.HoldsPerSecond * options.OpenLoopShare);
        Progress($"open loop: {rate:N0} holds/s on a fixed schedule for {options.DurationSeconds} s");
        var openCpuStart = CpuSampler.Take();
        report.OpenLoop = await new OpenLoopLoad(http, openEvent, openSeats).RunAsync(rate, TimeSpan.FromSeconds(options.DurationSeconds), 4 * options.Concurrency, ct)
            .WaitAsync(TimeSpan.FromSeconds(options.DurationSeconds + 120), ct);
        report.OpenLoopCpu = _cpu.Diff(openCpuStart, CpuSampler.Take());
        report.OpenLoopRate = rate;
        Progress($"open loop: p50 {report.OpenLoop.Ms(50):F1} ms, p99 {report.OpenLoop.Ms(99):F1} ms, statuses {Statuses(report.OpenLoop)}");

        // ---- 3. contention ----
        Progress($"contention: {options.ContentionRequests:N0} holds from {options.Concurrency} workers on {options.ContentionSeats} seats");
        report.Contention = await new ContentionLoad(http, contentionEvent, contentionSeats).RunAsync(options.ContentionRequests, options.Concurrency, ct)
            .WaitAsync(TimeSpan.FromMinutes(5), ct);
        var c = report.Contention;
        Progress($"contention: {Statuses(c)} in {c.Elapsed.TotalSeconds:F1} s, p99 {c.Ms(99):F1} ms");

        // ---- 4. the raw baseline ----
        var raw = RawClaim.Run(proxyHost, proxyPort, new NpgsqlConnectionStringBuilder(server).Password, options.RawClients, options.PgBenchThreads, options.DurationSeconds);
        Progress($"raw baseline: pgbench -c {raw.Clients} -j {Math.Min(raw.Threads, raw.Clients)} -T {raw.DurationSeconds} -M {raw.Mode} -> {raw.Host}:{raw.Port}/{raw.Database}");
        var rawStart = CpuSampler.Take();
        var wall = Stopwatch.StartNew();
        var result = await PgBench.RunAsync(pgbench, raw, ct);
        wall.Stop();
        var claimed = await RawClaim.ClaimedAsync(server, ct);
        report.Raw = new RawRun(result, claimed, _cpu.Diff(rawStart, CpuSampler.Take()), wall.Elapsed);
        Progress($"raw baseline: {result.Tps:N0} claims/s, latency avg {result.LatencyAverageMs:F2} ms, {result.Transactions:N0} transactions, {claimed:N0} seats claimed");
        report.Checks.Add(("raw baseline: no failed transaction, no seat claimed twice (claimed seats ≤ transactions)",
            result.Failed == 0 && claimed <= result.Transactions && claimed > 0, $"{result.Transactions:N0} transactions, {claimed:N0} seats claimed, {result.Failed} failed"));

        // ---- verification ----
        Progress("verifying in Postgres");
        var created = h.Created + (report.Warmup?.Created ?? 0);
        var closedHeld = await db.HeldAsync(closedEvent, ct);
        report.Checks.Add(("closed loop: held seats = 201 answers (warm-up + measured)",
            closedHeld.HeldSeats == created && closedHeld.Holds == created && closedHeld.HoldItems == created,
            $"{closedHeld.HeldSeats:N0} seats held, {closedHeld.Holds:N0} holds, {closedHeld.HoldItems:N0} hold items, {created:N0} × 201"));
        report.Checks.Add(("closed loop: every answer 201", h.Requests == h.Created, Statuses(h)));
        var openHeld = await db.HeldAsync(openEvent, ct);
        var openCreated = report.OpenLoop.Created;
        report.Checks.Add(("open loop: held seats = 201 answers, every request sent and answered 201",
            openHeld.HeldSeats == openCreated && openHeld.Holds == openCreated && report.OpenLoop.Requests == openCreated,
            $"{openHeld.HeldSeats:N0} seats held, {openHeld.Holds:N0} holds; {Statuses(report.OpenLoop)}"));
        var contentionHeld = await db.HeldAsync(contentionEvent, ct);
        var losers = c.Statuses.TryGetValue("409", out var conflicts) ? conflicts : 0;
        report.Checks.Add(($"contention: exactly {options.ContentionSeats} holds won, every other answer 409, one live hold per seat",
            c.Created == options.ContentionSeats && losers == options.ContentionRequests - options.ContentionSeats
                && contentionHeld.HeldSeats == options.ContentionSeats && contentionHeld.Holds == options.ContentionSeats,
            $"{Statuses(c)}; {contentionHeld.HeldSeats} seats held by {contentionHeld.Holds} holds"));
        foreach (var (check, violations) in await db.InvariantsAsync(ct))
        {
            report.Checks.Add(($"no {check}", violations == 0, violations == 0 ? "" : $"{violations:N0} found"));
        }
    }

    private static string FirstLines(string text, int n) => string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(n));

    private static string Statuses(HttpLoadResult r) => string.Join(", ", r.Statuses.Select(kv => $"{kv.Key}×{kv.Value:N0}"));
}
