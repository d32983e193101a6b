using System.Globalization;
using System.Text;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Everything one run measured, rendered as markdown.</summary>
public sealed class BenchReport
{
    public required BenchOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string Command { get; init; }

    public double BusyBeforeStart { get; init; }

    public string PostgresVersion { get; set; } = "?";

    public TimeSpan Startup { get; set; }

    public TimeSpan EventSetup { get; set; }

    public int ProxyPort { get; set; }

    public int PostgresPort { get; set; }

    public HttpLoadResult? Warmup { get; set; }

    public HttpLoadResult? Http { get; set; }

    public CpuSplit? HttpCpu { get; set; }

    public double? TransactionsPerHold { get; set; }

    public long ApiConnections { get; set; }

    public (long HeldSeats, long Holds, long HoldItems) HttpHeld { get; set; }

    public List<RawRun> Raw { get; } = [];

    public List<string> ApiProcesses { get; } = [];

    public List<(string Check, bool Ok, string Detail)> Checks { get; } = [];

    public List<string> Notes { get; } = [];

    private static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The report.</summary>
    public string ToMarkdown()
    {
        var o = Options;
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L($"# Holds: HTTP vs raw claim — {Machine.Date.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}");
        L();
        L($"`{Command}` — cell eu, reseller acme (Host: acme.eu.localhost), {N(o.Seats)} seats per event, C = {o.Concurrency}, D = {o.DurationSeconds} s, " +
          $"warm-up {o.WarmupSeconds} s, Durable = {(o.Durable ? "true (fsync on)" : "false (fsync off)")}, 1 API replica; " +
          $"AppHost healthy after {Startup.TotalSeconds:F1} s, events created and seat maps read in {EventSetup.TotalSeconds:F1} s.");
        L();
        if (o.ApiEnvironment.Count > 0 || o.ApiNpgsql is not null)
        {
            L("**Experiment** — eu-api changed from the bench: " + string.Join(", ", o.ApiEnvironment.Select(kv => $"`{kv.Key}={kv.Value}`")
                .Concat(o.ApiNpgsql is null ? [] : [$"`ConnectionStrings__postgres += ;{o.ApiNpgsql}`"])) + ".");
            L();
        }

        var main = Raw.FirstOrDefault();
        if (Http is { } h)
        {
            L("| | value |");
            L("|---|---|");
            L($"| **HTTP holds/s** (POST /v1/holds, 1 seat each, {o.Concurrency} workers) | **{N(h.HoldsPerSecond)}** |");
            L($"| HTTP latency p50 / p95 / p99 / max | {h.Ms(50):F1} / {h.Ms(95):F1} / {h.Ms(99):F1} / {h.MaxMs:F1} ms |");
            L($"| HTTP statuses ({N(h.Requests)} requests in {h.Elapsed.TotalSeconds:F2} s) | {string.Join(", ", h.Statuses.Select(kv => $"{kv.Key} × {N(kv.Value)}"))} |");
            if (main is not null)
            {
                L($"| **raw claims/s** (pgbench, same statement, -M {main.Result.Run.Mode}, {main.Target}) | **{N(main.Result.Tps)}** |");
                L($"| raw latency average | {main.Result.LatencyAverageMs:F2} ms |");
                L($"| **ratio = HTTP holds/s ÷ raw claims/s** | **{h.HoldsPerSecond / main.Result.Tps:F2}** |");
            }

            if (TransactionsPerHold is { } x)
            {
                L($"| Postgres transactions per HTTP hold (pg_stat_database delta ÷ 201s, warm-up included) | {x:F2} |");
            }

            L($"| API connections to reseller_acme after the phase | {ApiConnections} |");
            L();
        }

        if (Raw.Count > 0)
        {
            L($"Raw variants — pgbench -c {o.Concurrency} -j {Math.Min(o.PgBenchThreads, o.Concurrency)} -T {o.DurationSeconds} -n, each on its own event of {N(o.Seats)} seats, each client claiming distinct seats by ordinal:");
            L();
            L("| variant | target | -M | statements per hold | claims/s (tps) | latency avg | transactions | held seats verified | ÷ HTTP |");
            L("|---|---|---|---|---|---|---|---|---|");
            foreach (var r in Raw)
            {
                L($"| {r.Label} | {r.Target} | {r.Result.Run.Mode} | {r.Statements} | {N(r.Result.Tps)} | {r.Result.LatencyAverageMs:F2} ms | {N(r.Result.Transactions)} | {N(r.VerifiedClaims)} | " +
                  $"{(Http is null ? "" : (r.Result.Tps / Http.HoldsPerSecond).ToString("F2", CultureInfo.InvariantCulture) + "×")} |");
            }

            L();
        }

        var phases = new List<(string Name, CpuSplit Cpu, double Wall, long Holds)>();
        if (HttpCpu is not null && Http is not null)
        {
            phases.Add(("HTTP", HttpCpu, Http.Elapsed.TotalSeconds, Http.Created));
        }

        phases.AddRange(Raw.Select(r => (r.Label, r.Cpu, r.Wall.TotalSeconds, r.VerifiedClaims)));
        if (phases.Count > 0)
        {
            L($"CPU per process group over each phase: % of one core ({Machine.Cores} cores = {Machine.Cores * 100} %) · CPU ms per hold/claim " +
              "(exact /proc utime+stime deltas of this run's processes):");
            L();
            L("| group | " + string.Join(" | ", phases.Select(p => p.Name)) + " |");
            L("|---|" + string.Concat(phases.Select(_ => "---|")));
            string Cell(double seconds, (string Name, CpuSplit Cpu, double Wall, long Holds) p) =>
                $"{seconds / p.Wall * 100:F0} % · {(p.Holds == 0 ? 0 : seconds * 1000 / p.Holds):F2}";
            foreach (var g in CpuSampler.Groups)
            {
                if (phases.All(p => p.Cpu.Seconds[g] / p.Wall < 0.005))
                {
                    continue;
                }

                L($"| {g} | " + string.Join(" | ", phases.Select(p => Cell(p.Cpu.Seconds[g], p))) + " |");
            }

            L("| outside this run (other processes, kernel) | " + string.Join(" | ", phases.Select(p => Cell(p.Cpu.OutsideRun, p))) + " |");
            L("| **machine busy** | " + string.Join(" | ", phases.Select(p => $"**{Cell(p.Cpu.MachineBusy / p.Cpu.MachineTotal * Machine.Cores * p.Wall, p)}**")) + " |");
            L($"| holds/claims in the phase | " + string.Join(" | ", phases.Select(p => N(p.Holds))) + " |");
            L();
        }

        ReportText.Tail(sb, "Checks (straight in Postgres, Npgsql):", Checks, Notes, []);
        L(ReportText.Machine(Machine, PostgresVersion, BusyBeforeStart, withPgBench: true) +
          $" Postgres: DCP proxy port {ProxyPort}, real port {PostgresPort}. API: {string.Join("; ", ApiProcesses)}.");
        return sb.ToString();
    }
}

/// <summary>One pgbench variant and what was verified about it.</summary>
public sealed record RawRun(string Label, string Target, int Statements, PgBenchResult Result, long VerifiedClaims, CpuSplit Cpu, TimeSpan Wall);
