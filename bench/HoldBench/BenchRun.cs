using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace TicketAspire.Bench.HoldBench;

/// <summary>One benchmark run: boot the AppHost, create events, HTTP phase, pgbench phases, verify, report.</summary>
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
        var claimScript = Path.Combine(AppContext.BaseDirectory, "claim-reserved.pgbench");
        var metaScript = Path.Combine(AppContext.BaseDirectory, "claim-with-metadata.pgbench");
        var drift = SqlMirror.Check(repoRoot, claimScript, withMetadataQuery: false).Concat(SqlMirror.Check(repoRoot, metaScript, withMetadataQuery: true)).ToList();
        foreach (var d in drift)
        {
            Progress($"WARNING pgbench script drifted from the API's SQL: {d}");
        }

        var report = new BenchReport
        {
            Options = options,
            Machine = await MachineInfo.ReadAsync(pgbench, ct),
            Command = command,
            BusyBeforeStart = await MachineInfo.BusyShareAsync(TimeSpan.FromSeconds(1), ct),
        };
        report.Checks.Add(("pgbench scripts mirror HoldSql.Reserved and the metadata query (source comparison)", drift.Count == 0, string.Join("; ", drift)));
        Progress($"machine: {report.Machine.Cores} cores, {report.Machine.Memory}, .NET SDK {report.Machine.DotnetVersion}; CPU busy before start {report.BusyBeforeStart * 100 * report.Machine.Cores:F0} % of {report.Machine.Cores * 100} %");
        if (report.BusyBeforeStart > 0.25)
        {
            report.Notes.Add($"the machine was {report.BusyBeforeStart * 100 * report.Machine.Cores:F0} % busy (of {report.Machine.Cores * 100} %) before the run started: other processes share the cores, numbers are pessimistic");
            Progress("WARNING: something else is using the CPU; the numbers will be lower than on a quiet machine");
        }

        var dataDir = Path.Combine("/tmp", "ta-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await RunWithAppAsync(report, dataDir, claimScript, metaScript, ct);
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

    private async Task RunWithAppAsync(BenchReport report, string dataDir, string claimScript, string metaScript, CancellationToken ct)
    {
        await using var app = await BenchApp.StartAsync(dataDir, options.Durable, options.ApiEnvironment, options.ApiNpgsql, ct);
        report.Startup = Clock.Elapsed;
        await MeasureAsync(app, report, claimScript, metaScript, ct);
    }

    private async Task MeasureAsync(BenchApp app, BenchReport report, string claimScript, string metaScript, CancellationToken ct)
    {
        var server = await app.PostgresAsync(ct);
        await using var db = new BenchDatabase(server, ResellerDatabase);
        var (proxyHost, proxyPort, postgresPort, version) = await BenchApp.PostgresPortsAsync(server, db, ct);
        (report.ProxyPort, report.PostgresPort, report.PostgresVersion) = (proxyPort, postgresPort, version);
        Progress($"Postgres: DCP proxy {proxyHost}:{report.ProxyPort} -> postgres 127.0.0.1:{report.PostgresPort}");

        using var http = await app.IntegratorClientAsync(options.Concurrency, ct);
        Progress("integrator token from eu-identity (client credentials); every hold is authenticated");

        // ---- events: one for HTTP, one per raw variant ----
        var variants = RawVariants(proxyHost, report.ProxyPort, report.PostgresPort, claimScript, metaScript, new NpgsqlConnectionStringBuilder(server).Password);
        var setup = Stopwatch.StartNew();
        var httpEvent = await BenchEvents.CreateAsync(http, "HoldBench HTTP", options.Seats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        Progress($"created HTTP event {httpEvent} ({options.Seats:N0} seats) in {setup.Elapsed.TotalSeconds:F1} s");
        var rawEvents = new List<Guid>();
        foreach (var variant in variants)
        {
            rawEvents.Add(await BenchEvents.CreateAsync(http, $"HoldBench raw {variant.Label}", options.Seats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct));
        }

        Progress($"created {rawEvents.Count} raw event(s) after {setup.Elapsed.TotalSeconds:F1} s");
        var seatIds = await BenchEvents.SeatIdsAsync(http, httpEvent, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var rawSeats = await BenchEvents.SeatIdsAsync(http, rawEvents[0], ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        report.Checks.Add(("seat maps list every seat", seatIds.Length == options.Seats && rawSeats.Length == options.Seats,
            $"HTTP event {seatIds.Length:N0}, raw event {rawSeats.Length:N0} of {options.Seats:N0}"));
        // statistics as a long-running database would have them, so autovacuum's analyze does not land inside a phase
        await db.ExecuteAsync("ANALYZE seats; ANALYZE holds; ANALYZE hold_items; ANALYZE events; ANALYZE ticket_classes", ct);
        await db.ExecuteAsync("CHECKPOINT", ct);
        report.EventSetup = setup.Elapsed;
        Progress($"seat maps read, tables analyzed, checkpoint done ({setup.Elapsed.TotalSeconds:F1} s)");

        // ---- HTTP phase ----
        // Postgres transactions per hold: pg_stat_database before the warm-up, and again >= 10 s after the HTTP phase (an
        // idle backend flushes its last second of counters only after PGSTAT_IDLE_INTERVAL, 10 s), minus pgbench's own
        // transactions if its first run overlaps that wait. Event creation before x0 adds a few dozen at most.
        var xactsBefore = await db.CommittedTransactionsAsync(ct);
        var load = new HttpLoad(http, httpEvent, seatIds);
        if (options.WarmupSeconds > 0)
        {
            Progress($"HTTP warm-up: {options.Concurrency} workers for {options.WarmupSeconds} s (not counted)");
            report.Warmup = await load.RunAsync(options.Concurrency, TimeSpan.FromSeconds(options.WarmupSeconds), ct)
                .WaitAsync(TimeSpan.FromSeconds(options.WarmupSeconds + 120), ct);
            Progress($"warm-up: {report.Warmup.Created:N0} holds, statuses {Statuses(report.Warmup)}");
        }

        Progress($"HTTP phase: {options.Concurrency} workers for {options.DurationSeconds} s");
        var cpuStart = CpuSampler.Take();
        report.Http = await load.RunAsync(options.Concurrency, TimeSpan.FromSeconds(options.DurationSeconds), ct)
            .WaitAsync(TimeSpan.FromSeconds(options.DurationSeconds + 120), ct);
        var cpuEnd = CpuSampler.Take();
        var httpEnded = Stopwatch.StartNew();
        report.HttpCpu = _cpu.Diff(cpuStart, cpuEnd);
        foreach (var (pid, cmd) in _cpu.ProcessesOf(cpuEnd, "eu-api"))
        {
            report.ApiProcesses.Add($"pid {pid}: {cmd}");
            Progress($"eu-api process {pid}: {cmd}");
        }

        report.ApiConnections = await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'ticketaspire-%'", ct);
        var h = report.Http;
        Progress($"HTTP: {h.HoldsPerSecond:N0} holds/s, p50 {h.Ms(50):F1} ms, p99 {h.Ms(99):F1} ms, statuses {Statuses(h)}");
        if (h.SeatsExhausted)
        {
            report.Notes.Add($"the HTTP phase ran out of seats ({options.Seats:N0}); raise --seats");
        }

        // ---- raw phases ----
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            var run = variant.OnEvent(rawEvents[i]);
            Progress($"pgbench {variant.Label}: -c {run.Clients} -j {Math.Min(run.Threads, run.Clients)} -T {run.DurationSeconds} -M {run.Mode} -> {run.Host}:{run.Port}");
            var start = CpuSampler.Take();
            var wall = Stopwatch.StartNew();
            var result = await PgBench.RunAsync(pgbench, run, ct);
            wall.Stop();
            var cpu = _cpu.Diff(start, CpuSampler.Take());
            var held = await db.HeldAsync(rawEvents[i], ct);
            if (i == 0)
            {
                var wait = TimeSpan.FromSeconds(10.5) - httpEnded.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    Progress($"waiting {wait.TotalSeconds:F1} s for Postgres to flush its transaction counters");
                    await Task.Delay(wait, ct);
                }

                var xactsAfter = await db.CommittedTransactionsAsync(ct);
                var holds = load.CreatedSoFar;
                report.TransactionsPerHold = holds == 0 ? null : (double)(xactsAfter - xactsBefore - result.Transactions - 1) / holds;
            }

            report.Raw.Add(new RawRun(variant.Label, variant.Port == report.ProxyPort ? "DCP proxy" : "postgres directly",
                variant.Script == metaScript ? 3 : 2, result, held.HeldSeats, cpu, wall.Elapsed));
            Progress($"pgbench {variant.Label}: {result.Tps:N0} tps, latency avg {result.LatencyAverageMs:F2} ms, {result.Transactions:N0} transactions, {held.HeldSeats:N0} seats held");
            var lost = result.Transactions - held.HeldSeats;
            report.Checks.Add(($"pgbench {variant.Label}: every transaction claimed a new seat (variables persist per client)",
                lost <= 0 && held.HeldSeats == held.Holds && held.HoldItems == held.Holds,
                $"{result.Transactions:N0} transactions, {held.HeldSeats:N0} seats held, {held.Holds:N0} holds, {held.HoldItems:N0} hold items" +
                (result.Failed > 0 ? $", {result.Failed} failed" : "")));
            if (held.HeldSeats >= options.Seats)
            {
                report.Notes.Add($"pgbench {variant.Label} used every seat of its event; raise --seats");
            }
        }

        // ---- verification ----
        Progress("verifying in Postgres");
        report.HttpHeld = await db.HeldAsync(httpEvent, ct);
        var created = h.Created + (report.Warmup?.Created ?? 0);
        report.Checks.Add(("HTTP event: held seats = 201 answers (warm-up + measured)",
            report.HttpHeld.HeldSeats == created && report.HttpHeld.Holds == created && report.HttpHeld.HoldItems == created,
            $"{report.HttpHeld.HeldSeats:N0} seats held, {report.HttpHeld.Holds:N0} holds, {report.HttpHeld.HoldItems:N0} hold items, {created:N0} × 201"));
        foreach (var (check, violations) in await db.InvariantsAsync(ct))
        {
            report.Checks.Add(($"no {check}", violations == 0, violations == 0 ? "" : $"{violations:N0} found"));
        }

        report.Checks.Add(("HTTP answers other than 201", h.Requests == h.Created, h.Requests == h.Created ? "none" : Statuses(h)));
    }

    private List<PgBenchRun> RawVariants(string proxyHost, int proxyPort, int pgPort, string claimScript, string metaScript, string? password)
    {
        var mode = options.PgBenchMode;
        PgBenchRun Run(string label, string host, int port, string script, string m) => PgBenchRun.Claim(label, host, port, ResellerDatabase, script,
            options.Concurrency, options.PgBenchThreads, options.DurationSeconds, m, password);
        var runs = new List<PgBenchRun> { Run("claim", proxyHost, proxyPort, claimScript, mode) };
        if (options.Breakdown)
        {
            runs.Add(Run("claim, no proxy", "127.0.0.1", pgPort, claimScript, mode));
            runs.Add(Run($"claim, -M {(mode == "prepared" ? "extended" : "prepared")}", proxyHost, proxyPort, claimScript, mode == "prepared" ? "extended" : "prepared"));
            runs.Add(Run("metadata + claim, -M extended", proxyHost, proxyPort, metaScript, "extended"));
        }

        return runs;
    }

    private static string FirstLines(string text, int n) => string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(n));

    private static string Statuses(HttpLoadResult r) => string.Join(", ", r.Statuses.Select(kv => $"{kv.Key}×{kv.Value:N0}"));
}
