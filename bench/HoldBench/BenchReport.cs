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

    public HttpLoadResult? OpenLoop { get; set; }

    public CpuSplit? OpenLoopCpu { get; set; }

    public double OpenLoopRate { get; set; }

    public HttpLoadResult? Contention { get; set; }

    public double? TransactionsPerHold { get; set; }

    public RawRun? Raw { get; set; }

    public List<string> ApiProcesses { get; } = [];

    public List<(string Check, bool Ok, string Detail)> Checks { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>The first line of the report (and of bench/RESULTS.md).</summary>
    public string Headline => Http is { } h && Raw is { } r
        ? $"headline: holds_per_s={h.HoldsPerSecond:F0} raw_claims_per_s={r.Result.Tps:F0} ratio={h.HoldsPerSecond / r.Result.Tps:F2}"
        : "headline: incomplete run";

    private static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The report.</summary>
    public string ToMarkdown()
    {
        var o = Options;
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L(Headline);
        L();
        L($"# Holds: HTTP against the raw claim — {Machine.Date.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}");
        L();
        L($"`{Command}` — cell eu, reseller acme (Host: acme.eu.localhost), Release, {ApiProcesses.Count} API replica(s), " +
          $"Durable = {(o.Durable ? "true (fsync on)" : "false (fsync off)")}, {N(o.Seats)} seats per event, C = {o.Concurrency}, D = {o.DurationSeconds} s, " +
          $"warm-up {o.WarmupSeconds} s; AppHost healthy after {Startup.TotalSeconds:F1} s, events and the raw table ready in {EventSetup.TotalSeconds:F1} s. " +
          "Every hold carries an integrator token and passes token validation, tenancy, the rate limiter, idempotency, audit and the purchase limit.");
        L();
        if (o.ApiEnvironment.Count > 0 || o.ApiNpgsql is not null)
        {
            L("**Experiment** — eu-api changed from the bench: " + string.Join(", ", o.ApiEnvironment.Select(kv => $"`{kv.Key}={kv.Value}`")
                .Concat(o.ApiNpgsql is null ? [] : [$"`ConnectionStrings__postgres += ;{o.ApiNpgsql}`"])) + ".");
            L();
        }

        L("| | measured | target |");
        L("|---|---|---|");
        if (Http is { } h)
        {
            L($"| **closed loop: holds/s** (POST /v1/holds, 1 seat each, {o.Concurrency} workers) | **{N(h.HoldsPerSecond)}** | |");
            L($"| closed loop: latency p50 / p95 / p99 / max | {h.Ms(50):F1} / {h.Ms(95):F1} / {h.Ms(99):F1} / {h.MaxMs:F1} ms | |");
            if (HttpCpu is { } cpu && h.Created > 0)
            {
                L($"| closed loop: CPU ms per hold, eu-api / postgres / whole machine | {Ms(cpu, "eu-api", h.Created):F2} / {Ms(cpu, "postgres", h.Created):F2} / {cpu.MachineBusy / cpu.MachineTotal * Machine.Cores * h.Elapsed.TotalSeconds * 1000 / h.Created:F2} | |");
            }
        }

        if (Raw is { } r)
        {
            L($"| **raw claims/s** (pgbench -c {r.Result.Run.Clients} -M prepared, raw-claim.pgbench on {N(RawClaim.Rows)} rows, via DCP's proxy like the API) | **{N(r.Result.Tps)}** (latency avg {r.Result.LatencyAverageMs:F2} ms) | |");
            if (Http is { } hh)
            {
                var ratio = hh.HoldsPerSecond / r.Result.Tps;
                L($"| **ratio = holds/s ÷ raw claims/s** | **{ratio:F2}** | ≥ 1.0 {(ratio >= 1.0 ? "met" : "**not met**")} |");
            }
        }

        if (OpenLoop is { } ol)
        {
            var p99 = ol.Ms(99);
            L($"| open loop at {N(OpenLoopRate)} holds/s ({o.OpenLoopShare:P0} of the maximum): p50 / p99 / max from due time | {ol.Ms(50):F1} / {p99:F1} / {ol.MaxMs:F1} ms | p99 < 50 ms {(p99 < 50 ? "met" : "**not met**")} |");
        }

        if (Contention is { } c)
        {
            var p99 = c.Ms(99);
            L($"| contention: {N(o.ContentionRequests)} holds, {o.Concurrency} workers, {o.ContentionSeats} seats: answers | {string.Join(", ", c.Statuses.Select(kv => $"{kv.Key} × {N(kv.Value)}"))} | exactly {o.ContentionSeats} × 201, the rest 409 |");
            L($"| contention: p50 / p99 / max | {c.Ms(50):F1} / {p99:F1} / {c.MaxMs:F1} ms | p99 < 100 ms {(p99 < 100 ? "met" : "**not met**")} |");
        }

        if (TransactionsPerHold is { } x)
        {
            L($"| Postgres transactions per hold (pg_stat_database delta ÷ 201s, warm-up included) | {x:F2} | |");
        }

        L();
        var phases = new List<(string Name, CpuSplit Cpu, double Wall, long Holds)>();
        if (HttpCpu is not null && Http is not null)
        {
            phases.Add(("closed loop", HttpCpu, Http.Elapsed.TotalSeconds, Http.Created));
        }

        if (OpenLoopCpu is not null && OpenLoop is not null)
        {
            phases.Add(("open loop", OpenLoopCpu, OpenLoop.Elapsed.TotalSeconds, OpenLoop.Created));
        }

        if (Raw is not null)
        {
            phases.Add(("raw baseline", Raw.Cpu, Raw.Wall.TotalSeconds, Raw.Result.Transactions));
        }

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

    private static double Ms(CpuSplit cpu, string group, long holds) => cpu.Seconds.TryGetValue(group, out var s) ? s * 1000 / holds : 0;
}

/// <summary>The raw baseline's pgbench run, the seats it claimed, and its CPU.</summary>
public sealed record RawRun(PgBenchResult Result, long ClaimedSeats, CpuSplit Cpu, TimeSpan Wall);
