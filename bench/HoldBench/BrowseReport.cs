using System.Globalization;
using System.Text;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Everything one browse run measured, rendered as markdown.</summary>
public sealed class BrowseReport
{
    public required BrowseOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string Command { get; init; }

    public double BusyBeforeStart { get; init; }

    public string PostgresVersion { get; set; } = "?";

    public Guid EventId { get; set; }

    public TimeSpan Setup { get; set; }

    public int ApiProcesses { get; set; }

    public List<BrowseStep> Steps { get; } = [];

    public List<CpuSplit> StepCpu { get; } = [];

    public List<HttpLoadResult?> StepHolds { get; } = [];

    public List<string> Plots { get; } = [];

    public List<(string Check, bool Ok, string Detail)> Checks { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>The first failure lines of the API replicas' logs.</summary>
    public List<string> ApiFailures { get; } = [];

    private static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The pass/fail checks over every step.</summary>
    public void AddChecks()
    {
        if (Steps.Count == 0)
        {
            return;
        }

        var statuses = Steps.SelectMany(s => s.Kinds).SelectMany(k => k.Statuses)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);
        var otherFailures = statuses.Where(kv => kv.Key != "200" && kv.Key != "503 overloaded" && (kv.Key.StartsWith('5') || kv.Key.StartsWith("error", StringComparison.Ordinal)))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Checks.Add(("browsing: no 5xx other than shedding (503 overloaded), no transport error or client timeout", otherFailures.Count == 0,
            otherFailures.Count == 0 ? "" : BrowseKind.Describe(otherFailures)));
        var fourxx = statuses.Where(kv => kv.Key.StartsWith('4')).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Checks.Add(("browsing: no 4xx (no 429: the raised anonymous budget held)", fourxx.Count == 0, fourxx.Count == 0 ? "" : BrowseKind.Describe(fourxx)));
        var noRetryAfter = Steps.Sum(s => s.ShedWithoutRetryAfter);
        Checks.Add(("every 503 overloaded carried Retry-After", noRetryAfter == 0, noRetryAfter == 0 ? "" : $"{N(noRetryAfter)} without"));
        var holdFailures = StepHolds.Where(h => h is not null).SelectMany(h => h!.Statuses)
            .Where(kv => kv.Key != "201" && kv.Key != "503").GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);
        if (Options.HoldWorkers > 0)
        {
            Checks.Add(("hold load: every hold answered 201 (or 503 shed)", holdFailures.Count == 0, holdFailures.Count == 0 ? "" : BrowseKind.Describe(holdFailures)));
        }
    }

    /// <summary>The report.</summary>
    public string ToMarkdown()
    {
        var o = Options;
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L($"# Browse under load — {Machine.Date.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)} ({Machine.Date.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)");
        L();
        L($"`{Command}` — open loop at {string.Join(", ", o.Rates.Select(r => $"{N(r)}/s"))}, {o.StepSeconds} s per step (after a {o.WarmupSeconds} s warm-up), " +
          $"{o.SeatMapShare * 100:F0} % seat maps ({N(o.Seats)} seats, event {EventId}) and {(1 - o.SeatMapShare) * 100:F0} % event pages, public (Host {BenchApp.ResellerHost}, no token), " +
          $"through the cell's endpoint over {ApiProcesses} API processes, up to {N(o.Connections)} client connections; " +
          (o.HoldWorkers > 0 ? $"hold load alongside: {o.HoldWorkers} closed-loop integrator workers, one seat per hold; " : "no hold load; ") +
          $"Durable = {(o.Durable ? "true (fsync on)" : "false")}; events set up in {Setup.TotalSeconds:F1} s.");
        L();
        if (Steps.Count == 0)
        {
            L("Nothing was measured.");
            L();
        }

        L("Latency from each request's scheduled send time to the end of its body (HdrHistogram, ms), served answers (200):");
        L();
        L("| rate | request | sent | 200 | 503 shed | other | achieved answers/s | served/s | p50 | p95 | p99 | max |");
        L("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in Steps)
        {
            var seconds = s.ElapsedSeconds;
            foreach (var k in s.Kinds.Append(null))
            {
                var statuses = k?.Statuses ?? Merge(s.Kinds.Select(x => x.Statuses));
                var served = k?.ServedHistogram ?? s.Served();
                var total = statuses.Values.Sum();
                var ok = statuses.GetValueOrDefault("200");
                var shed = statuses.Where(kv => kv.Key.StartsWith("503", StringComparison.Ordinal)).Sum(kv => kv.Value);
                var other = total - ok - shed;
                var name = k?.Name ?? "**both**";
                L($"| {N(s.Rate)}/s | {name} | {N(total)} | {N(ok)} | {N(shed)} | {N(other)} | {N(total / Math.Max(s.Seconds, 1e-9))} | {N(ok / Math.Max(s.Seconds, 1e-9))} | " +
                  $"{BrowseKind.Ms(served, 50)} | {BrowseKind.Ms(served, 95)} | {(k is null ? "**" + BrowseKind.Ms(served, 99) + "**" : BrowseKind.Ms(served, 99))} | {BrowseKind.MaxMs(served)} |");
            }
        }

        L();
        L("(achieved answers/s = answers of the step ÷ its scheduled seconds; the last answers of a step may come after its last send.)");
        L();
        L("Per step: the generator's own lag (scheduled → sent), the hold load alongside, and answers other than 200:");
        L();
        L("| rate | send lag p99 / max (ms) | last answer after the step's end | holds/s | hold p50 / p99 (ms) | hold answers | browse answers other than 200 |");
        L("|---|---|---|---|---|---|---|");
        for (var i = 0; i < Steps.Count; i++)
        {
            var s = Steps[i];
            var lag = s.SendLag;
            var h = i < StepHolds.Count ? StepHolds[i] : null;
            var notOk = Merge(s.Kinds.Select(k => k.Statuses)).Where(kv => kv.Key != "200").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            L($"| {N(s.Rate)}/s | {BrowseKind.Ms(lag, 99)} / {BrowseKind.MaxMs(lag)} | {Math.Max(0, s.ElapsedSeconds - s.Seconds):F1} s | " +
              (h is null ? "– | – | – | " : $"{N(h.HoldsPerSecond)} | {h.Ms(50):F1} / {h.Ms(99):F1} | {string.Join(", ", h.Statuses.Select(kv => $"{kv.Key} × {N(kv.Value)}"))} | ") +
              $"{(notOk.Count == 0 ? "none" : BrowseKind.Describe(notOk))} |");
        }

        L();
        if (StepCpu.Count > 0)
        {
            ReportText.CpuTable(sb, Machine.Cores, [.. StepCpu.Take(Steps.Count).Select((cpu, i) => ($"{N(Steps[i].Rate)}/s", cpu, Steps[i].ElapsedSeconds))]);
            L();
        }

        var samples = Steps.SelectMany(s => s.Samples).GroupBy(kv => kv.Key, StringComparer.Ordinal).Select(g => g.First()).ToList();
        if (samples.Count > 0)
        {
            L("First body of every unexpected answer:");
            L();
            foreach (var (what, text) in samples)
            {
                L($"- {what}: `{text.Replace('`', '\'').Replace('\n', ' ')}`");
            }

            L();
        }

        if (ApiFailures.Count > 0)
        {
            L("First failure lines of the API's logs:");
            L();
            lock (ApiFailures)
            {
                foreach (var line in ApiFailures)
                {
                    L($"- `{line.Replace('`', '\'')}`");
                }
            }

            L();
        }

        ReportText.Tail(sb, "Checks:", Checks, Notes, Plots);
        L(ReportText.Machine(Machine, PostgresVersion, BusyBeforeStart, withPgBench: false));
        return sb.ToString();
    }

    private static Dictionary<string, long> Merge(IEnumerable<IReadOnlyDictionary<string, long>> all)
    {
        var merged = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var d in all)
        {
            foreach (var (k, v) in d)
            {
                merged[k] = merged.GetValueOrDefault(k) + v;
            }
        }

        return merged;
    }
}
