using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Npgsql;

namespace TicketAspire.Bench.HoldBench;

/// <summary>The hot on-sale mode: boot, create the event and its waiting room, join, open, buy, verify, raw baseline, report.</summary>
public sealed class OnSaleRun(OnSaleOptions options, string pgbench, string repoRoot)
{
    private readonly CpuSampler _cpu = new();

    /// <summary>Runs everything; returns the process exit code.</summary>
    public async Task<int> RunAsync(string command, CancellationToken ct)
    {
        var report = new OnSaleReport
        {
            Options = options,
            Machine = await MachineInfo.ReadAsync(pgbench, ct),
            Command = command,
            BusyBeforeStart = await MachineInfo.BusyShareAsync(TimeSpan.FromSeconds(1), ct),
        };
        BenchRun.Progress($"machine: {report.Machine.Cores} cores, {report.Machine.Memory}; CPU busy before start {report.BusyBeforeStart * 100 * report.Machine.Cores:F0} % of {report.Machine.Cores * 100} %");
        var dataDir = Path.Combine("/tmp", "ta-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var app = await BenchApp.StartAsync(dataDir, options.Durable, [], null, ct);
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

        if (report.Load is { } load)
        {
            var plotDir = options.PlotDirectory ?? Path.Combine(repoRoot, "bench");
            report.Plots.AddRange(OnSalePlots.Write(load, plotDir, report.Notes));
        }

        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        var outDir = options.OutputDirectory ?? Path.Combine(repoRoot, "bench", "out");
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, $"onsale-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.md");
        await File.WriteAllTextAsync(file, markdown, CancellationToken.None);
        BenchRun.Progress($"report written to {file}");
        return report.Checks.All(c => c.Ok) ? 0 : 1;
    }

    private async Task MeasureAsync(BenchApp app, OnSaleReport report, CancellationToken ct)
    {
        var server = await app.PostgresAsync(ct);
        await using var db = new BenchDatabase(server, BenchApp.ResellerDatabase);
        var (proxyHost, proxyPort, postgresPort, version) = await BenchApp.PostgresPortsAsync(server, db, ct);
        report.PostgresVersion = version;
        using var http = await app.IntegratorClientAsync(options.Concurrency, ct);
        using var psp = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(options.Concurrency, 16),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        }) { Timeout = TimeSpan.FromSeconds(60) };

        // ---- the event and its waiting room (closed until every buyer has joined) ----
        var setup = Stopwatch.StartNew();
        var (eventId, classId) = await BenchEvents.CreateGeneralAdmissionAsync(http, "HoldBench hot on-sale", options.Seats, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        report.EventId = eventId;
        await ConfigureRoomAsync(http, eventId, DateTimeOffset.UtcNow.AddHours(1), ct);
        await RawClaim.PrepareAsync(server, ct);
        await db.ExecuteAsync("ANALYZE seats; ANALYZE holds; ANALYZE hold_items; ANALYZE events; ANALYZE ticket_classes; ANALYZE queue_entries", ct);
        await db.ExecuteAsync("CHECKPOINT", ct);
        report.Setup = setup.Elapsed;
        BenchRun.Progress($"GA event {eventId} ({options.Seats:N0} tickets, waiting room on, sale in 1 h) and the raw baseline's table in {setup.Elapsed.TotalSeconds:F1} s");

        var load = new OnSaleLoad(http, psp, eventId, classId, options.Buyers, options.DurationLimitSeconds + 60);
        report.Load = load;
        var deadline = Stopwatch.GetTimestamp() + options.DurationLimitSeconds * Stopwatch.Frequency;

        // ---- join ----
        BenchRun.Progress($"join: {options.Buyers:N0} buyers, {options.Concurrency} in flight");
        var cpu0 = CpuSampler.Take();
        report.JoinElapsed = await load.JoinAllAsync(options.Concurrency, deadline, ct);
        var cpu1 = CpuSampler.Take();
        report.JoinCpu = _cpu.Diff(cpu0, cpu1);
        BenchRun.Progress($"joined: {load.Join.Count:N0} in {report.JoinElapsed.TotalSeconds:F1} s ({load.Join.Count / report.JoinElapsed.TotalSeconds:N0}/s), p50 {load.Join.Ms(50):F1} ms, p99 {load.Join.Ms(99):F1} ms");

        // ---- open the sale ----
        // PUT keeps credit_at = greatest(credit_at, on_sale_at): an on-sale moved earlier would still admit nobody before
        // the old time, so the bench moves the admission credit to the new on-sale in Postgres as well
        var opened = Stopwatch.GetTimestamp();
        await ConfigureRoomAsync(http, eventId, DateTimeOffset.UtcNow, ct);
        await db.ScalarAsync<long>("WITH u AS (UPDATE waiting_rooms SET credit_at = on_sale_at WHERE event_id = $1 RETURNING 1) SELECT count(*) FROM u", ct, eventId);
        BenchRun.Progress($"sale open: admit {options.AdmitPerMinute:N0}/min; buying with {options.Concurrency} buyers in flight (limit {options.DurationLimitSeconds} s from the first join)");

        // ---- buy ----
        using var progress = new CancellationTokenSource();
        var ticker = Task.Run(async () =>
        {
            while (!progress.IsCancellationRequested)
            {
                await Task.Delay(5000, progress.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                BenchRun.Progress($"  admitted {load.Admitted.Total:N0}, holds {load.Holds.Total:N0}, confirms {load.Confirms.Total:N0}, answered {load.Answered:N0} of {options.Buyers:N0}");
            }
        }, CancellationToken.None);
        report.BuyElapsed = await load.BuyAllAsync(options.Concurrency, opened, deadline, options.PollMilliseconds, ct);
        var cpu2 = CpuSampler.Take();
        await progress.CancelAsync();
        await ticker;
        report.BuyCpu = _cpu.Diff(cpu1, cpu2);
        BenchRun.Progress($"buy phase done in {report.BuyElapsed.TotalSeconds:F1} s: {load.Holds.Total:N0} holds, {load.Confirms.Total:N0} confirms, {load.Answered:N0} answered");

        // ---- verification ----
        BenchRun.Progress("verifying in Postgres");
        var counts = report.Counts = await db.OnSaleAsync(eventId, ct);
        var confirms = load.Confirms.Total;
        report.Checks.Add(($"exactly {options.Seats:N0} sold: valid tickets = sold seats = orders = 200 confirms = seats",
            counts.ValidTickets == options.Seats && counts.SoldSeats == options.Seats && counts.Orders == options.Seats && confirms == options.Seats,
            $"{counts.ValidTickets:N0} valid tickets, {counts.SoldSeats:N0} sold seats, {counts.Orders:N0} orders, {confirms:N0} × 200 confirm"));
        report.Checks.Add(("no seat sold twice, every sold seat has exactly one valid ticket",
            counts.SeatsSoldTwice == 0 && counts.SoldSeatsWithoutOneTicket == 0,
            $"{counts.SeatsSoldTwice} seats with two valid tickets, {counts.SoldSeatsWithoutOneTicket} sold seats without exactly one"));
        report.Checks.Add(("no buyer bought twice", counts.CustomersWithTwoOrders == 0, $"{counts.CustomersWithTwoOrders} customers with two orders"));
        report.Checks.Add(("no ticket left on hold", counts.HeldSeats == 0, $"{counts.HeldSeats} held"));
        report.Checks.Add(("every buyer got a final answer", load.Answered == options.Buyers,
            $"{load.Answered:N0} of {options.Buyers:N0} answered" + (load.Answered == options.Buyers ? "" : $", {options.Buyers - load.Answered:N0} unanswered at the {options.DurationLimitSeconds} s limit")));
        report.Checks.Add(("every buyer queued once (queue_entries), each admission token used at most by one hold",
            counts.QueueEntries == options.Buyers && counts.Used == load.Holds.Total,
            $"{counts.QueueEntries:N0} queue entries, {counts.Admitted:N0} admitted, {counts.Used:N0} used, {load.Holds.Total:N0} × 201 hold"));
        foreach (var (check, violations) in await db.InvariantsAsync(ct))
        {
            report.Checks.Add(($"no {check} (whole database)", violations == 0, violations == 0 ? "" : $"{violations:N0} found"));
        }

        // ---- raw baseline ----
        var run = RawClaim.Run(proxyHost, proxyPort, new NpgsqlConnectionStringBuilder(server).Password, options.RawClients, options.PgBenchThreads, options.RawSeconds);
        BenchRun.Progress($"raw baseline: pgbench -c {run.Clients} -j {Math.Min(run.Threads, run.Clients)} -T {run.DurationSeconds} -M prepared -> {proxyHost}:{proxyPort} (postgres {postgresPort})");
        var start = CpuSampler.Take();
        var result = await PgBench.RunAsync(pgbench, run, ct);
        report.RawCpu = _cpu.Diff(start, CpuSampler.Take());
        var claimed = await RawClaim.ClaimedAsync(server, ct);
        report.Raw = result;
        report.RawHeld = claimed;
        BenchRun.Progress($"raw baseline: {result.Tps:N0} claims/s, latency avg {result.LatencyAverageMs:F2} ms, {claimed:N0} seats claimed");
        report.Checks.Add(("raw baseline: no failed transaction, no seat claimed twice (claimed seats ≤ transactions)",
            result.Failed == 0 && claimed <= result.Transactions && claimed > 0, $"{result.Transactions:N0} transactions, {claimed:N0} seats claimed"));
    }

    private async Task ConfigureRoomAsync(HttpClient http, Guid eventId, DateTimeOffset onSaleAt, CancellationToken ct)
    {
        using var put = await http.PutAsJsonAsync($"/v1/events/{eventId}/waiting-room",
            new Dictionary<string, object> { ["on_sale_at"] = onSaleAt, ["admit_per_minute"] = options.AdmitPerMinute, ["window_seconds"] = 600 }, ct);
        if (!put.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT waiting-room answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync(ct)}");
        }
    }
}
