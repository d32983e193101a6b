using System.Globalization;
using System.Text;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Everything one on-sale run measured, rendered as markdown.</summary>
public sealed class OnSaleReport
{
    public required OnSaleOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string Command { get; init; }

    public double BusyBeforeStart { get; init; }

    public string PostgresVersion { get; set; } = "?";

    public Guid EventId { get; set; }

    public TimeSpan Setup { get; set; }

    public OnSaleLoad? Load { get; set; }

    public TimeSpan JoinElapsed { get; set; }

    public TimeSpan BuyElapsed { get; set; }

    public CpuSplit? JoinCpu { get; set; }

    public CpuSplit? BuyCpu { get; set; }

    public CpuSplit? RawCpu { get; set; }

    public OnSaleCounts? Counts { get; set; }

    public PgBenchResult? Raw { get; set; }

    public long RawHeld { get; set; }

    public List<string> Plots { get; } = [];

    public List<(string Check, bool Ok, string Detail)> Checks { get; } = [];

    public List<string> Notes { get; } = [];

    private static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The report.</summary>
    public string ToMarkdown()
    {
        var o = Options;
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L($"# Hot on-sale — {Machine.Date.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}");
        L();
        L($"`{Command}` — {N(o.Buyers)} buyers, {N(o.Seats)} general-admission tickets (event {EventId}), {o.Concurrency} buyers in flight, " +
          $"waiting room admitting {N(o.AdmitPerMinute)}/min, poll every {o.PollMilliseconds} ms, limit {o.DurationLimitSeconds} s, " +
          $"Durable = {(o.Durable ? "true (fsync on)" : "false")}, cell eu, reseller acme, 1 API replica; events and room set up in {Setup.TotalSeconds:F1} s.");
        L();
        if (Load is { } l)
        {
            var open = BuyElapsed.TotalSeconds;
            L("| | value |");
            L("|---|---|");
            L($"| join phase (before the sale opens) | {N(l.Join.Count)} joins in {JoinElapsed.TotalSeconds:F1} s = **{N(l.Join.Count / Math.Max(JoinElapsed.TotalSeconds, 1e-9))} joins/s** |");
            L($"| buy phase (sale open → last buyer answered) | {open:F1} s |");
            L($"| **admitted/s** (buyers seeing their admission, ÷ time to the last) | **{N(l.Admitted.Rate)}** ({N(l.Admitted.Total)} in {l.Admitted.LastSecond:F1} s) |");
            L($"| **holds/s** (201 answers ÷ time from opening to the last 201) | **{N(l.Holds.Rate)}** ({N(l.Holds.Total)} in {l.Holds.LastSecond:F1} s) |");
            L($"| **confirms/s** (200 orders ÷ time from opening to the last) | **{N(l.Confirms.Rate)}** ({N(l.Confirms.Total)} in {l.Confirms.LastSecond:F1} s) |");
            L($"| hold answers/s (201 + 409 …, over the whole buy phase) | {N(l.Hold.Count / Math.Max(open, 1e-9))} |");
            L($"| final answers/s (buyers done, over the buy phase) | {N(l.Answered / Math.Max(open, 1e-9))} |");
            L($"| polls that found the buyer still waiting | {N(l.WaitingPolls)} |");
            if (Raw is { } raw)
            {
                L($"| **raw claims/s** (pgbench raw-claim.pgbench, -c {raw.Run.Clients} -T {raw.Run.DurationSeconds} -M {raw.Run.Mode}, via the proxy) | **{N(raw.Tps)}** (latency avg {raw.LatencyAverageMs:F2} ms) |");
                L($"| **ratio = end-to-end holds/s ÷ raw claims/s** | **{l.Holds.Rate / raw.Tps:F3}** |");
                L($"| ratio of hold answers/s (201 + 409) ÷ raw claims/s | {l.Hold.Count / Math.Max(open, 1e-9) / raw.Tps:F3} |");
            }

            L();
            L("Latency per request kind (HdrHistogram, µs resolution, ms):");
            L();
            L("| request | count | p50 | p95 | p99 | max | answers |");
            L("|---|---|---|---|---|---|---|");
            foreach (var p in l.Phases)
            {
                L($"| {p.Name} | {N(p.Count)} | {p.Ms(50):F1} | {p.Ms(95):F1} | {p.Ms(99):F1} | {p.MaxMs:F1} | {string.Join(", ", p.Statuses.Select(kv => $"{kv.Key} × {N(kv.Value)}"))} |");
            }

            L();
            L("Final answer per buyer:");
            L();
            L("| answer | buyers |");
            L("|---|---|");
            foreach (var (answer, n) in l.FinalAnswers)
            {
                L($"| {answer} | {N(n)} |");
            }

            if (l.Answered < o.Buyers)
            {
                L($"| (no answer by the {o.DurationLimitSeconds} s limit) | {N(o.Buyers - l.Answered)} |");
            }

            L();
            if (l.UnexpectedBodies.Count > 0)
            {
                L("First body of every unexpected answer (4xx other than 409, 5xx):");
                L();
                foreach (var (what, text) in l.UnexpectedBodies)
                {
                    L($"- {what}: `{text.Replace('`', '\'').Replace('\n', ' ')}`");
                }

                L();
            }
        }

        if (Counts is { } c)
        {
            L($"Postgres afterwards: {N(c.ValidTickets)} valid tickets, {N(c.SoldSeats)} sold seats, {N(c.Orders)} orders, {N(c.HeldSeats)} seats on hold, " +
              $"{N(c.QueueEntries)} queue entries ({N(c.Admitted)} admitted over {c.AdmissionSpanSeconds:F1} s by the worker, {N(c.Used)} tokens used).");
            L();
        }

        var phases = new List<(string Name, CpuSplit Cpu, double Wall)>();
        if (JoinCpu is not null)
        {
            phases.Add(("join", JoinCpu, JoinElapsed.TotalSeconds));
        }

        if (BuyCpu is not null)
        {
            phases.Add(("buy", BuyCpu, BuyElapsed.TotalSeconds));
        }

        if (RawCpu is not null && Raw is not null)
        {
            phases.Add(("pgbench", RawCpu, Raw.Run.DurationSeconds));
        }

        if (phases.Count > 0)
        {
            ReportText.CpuTable(sb, Machine.Cores, phases);
            L();
        }

        ReportText.Tail(sb, "Checks:", Checks, Notes, Plots);
        L(ReportText.Machine(Machine, PostgresVersion, BusyBeforeStart, withPgBench: true));
        return sb.ToString();
    }
}
