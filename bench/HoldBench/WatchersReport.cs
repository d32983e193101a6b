using System.Globalization;
using System.Text;
using HdrHistogram;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Everything one live-updates run measured, rendered as markdown.</summary>
public sealed class WatchersReport
{
    public required WatchersOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string Command { get; init; }

    public double BusyBeforeStart { get; init; }

    public long? FileLimit { get; init; }

    public string PostgresVersion { get; set; } = "?";

    public Guid EventId { get; set; }

    public TimeSpan Setup { get; set; }

    public IReadOnlyList<Uri> Replicas { get; set; } = [];

    public IReadOnlyList<ProcessMemory> MemoryBefore { get; set; } = [];

    public IReadOnlyList<ProcessMemory> MemoryConnected { get; set; } = [];

    public IReadOnlyList<ProcessMemory> MemoryAfterSale { get; set; } = [];

    public TimeSpan ConnectElapsed { get; set; }

    public LongHistogram? ConnectLatency { get; set; }

    public IReadOnlyDictionary<string, long> ConnectFailures { get; set; } = new Dictionary<string, long>();

    public CpuSplit? ConnectCpu { get; set; }

    public IReadOnlyList<SseWatcher> Watchers { get; set; } = [];

    public LiveSale? Sale { get; set; }

    public TimeSpan SaleElapsed { get; set; }

    public TimeSpan DrainElapsed { get; set; }

    public CpuSplit? SaleCpu { get; set; }

    public WatchersDelivery? Delivery { get; set; }

    public ProbeResult? AfterClose { get; set; }

    public OnSaleCounts? Counts { get; set; }

    public List<string> Plots { get; } = [];

    public List<(string Check, bool Ok, string Detail)> Checks { get; } = [];

    public List<string> Notes { get; } = [];

    private static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Ms(LongHistogram h, double p) => h.TotalCount == 0 ? "–" : N(h.GetValueAtPercentile(p) / 1000.0, 1);

    private static string MaxMs(LongHistogram h) => h.TotalCount == 0 ? "–" : N(h.GetMaxValue() / 1000.0, 1);

    private static string Mib(IEnumerable<ProcessMemory> m, Func<ProcessMemory, long> pick) => N(m.Sum(pick) / 1024.0, 1);

    /// <summary>The report.</summary>
    public string ToMarkdown()
    {
        var o = Options;
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L($"# Live updates: {N(o.Watchers)} watchers — {Machine.Date.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)} ({Machine.Date.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)");
        L();
        L($"`{Command}` — {N(o.Watchers)} SSE watchers of one reserved-seating event ({N(o.Seats)} seats, event {EventId}) spread over {Replicas.Count} API replicas " +
          $"({string.Join(", ", Replicas)}), sold out by {o.Buyers} closed-loop buyers, {o.SeatsPerHold} seats per hold, " +
          $"{(o.Confirm ? "hold → payment → PSP confirm → confirm" : "holds only")} (through the cell's endpoint); Durable = {(o.Durable ? "true (fsync on)" : "false")}; " +
          $"API Shedding:MaxInFlight = {(o.SheddingMaxInFlight > 0 ? N(o.SheddingMaxInFlight) : "the API's default")}; open files limit {FileLimit?.ToString(CultureInfo.InvariantCulture) ?? "?"}; event set up in {Setup.TotalSeconds:F1} s.");
        L();
        if (Delivery is { } d && Sale is { } sale)
        {
            var changesPerSecond = d.ChangesMade / Math.Max(SaleElapsed.TotalSeconds, 1e-9);
            L("| | value |");
            L("|---|---|");
            L($"| watchers connected (snapshot received) | {N(Watchers.Count)} of {N(o.Watchers)} in {ConnectElapsed.TotalSeconds:F1} s ({N(Watchers.Count / Math.Max(ConnectElapsed.TotalSeconds, 1e-9))}/s); open → snapshot p50 / p99 / max {Ms(ConnectLatency!, 50)} / {Ms(ConnectLatency!, 99)} / {MaxMs(ConnectLatency!)} ms |");
            L($"| per replica | {string.Join(", ", Watchers.GroupBy(w => w.Replica).OrderBy(g => g.Key).Select(g => $"{N(g.Count())} on {Replicas[g.Key].Authority}"))} |");
            L($"| sale | {N(d.ChangesMade)} seat changes ({N(sale.HeldChanges.Total)} held, {N(sale.SoldChanges.Total)} sold) in {SaleElapsed.TotalSeconds:F1} s = **{N(changesPerSecond)} changes/s** |");
            L($"| (watcher, change) pairs delivered | {N(d.PairsDelivered)} of {N(d.PairsExpected)}; {N(Watchers.Sum(w => w.SeatEvents))} seat events received; drain after the sale {DrainElapsed.TotalSeconds:F1} s |");
            L($"| **delivery latency** (bench got the 201/200 → watcher got the event naming the seat), all pairs | p50 {Ms(d.Pairs, 50)} / p95 {Ms(d.Pairs, 95)} / **p99 {Ms(d.Pairs, 99)}** / max {MaxMs(d.Pairs)} ms |");
            L($"| until the last watcher had it, per change | p50 {Ms(d.Fanout, 50)} / p95 {Ms(d.Fanout, 95)} / p99 {Ms(d.Fanout, 99)} / max {MaxMs(d.Fanout)} ms ({N(d.Fanout.TotalCount)} changes) |");
            L($"| pairs that arrived before the bench had read the answer (counted as 0 ms) | {N(d.ArrivedBeforeAnswer)} |");
            L($"| **missed changes** | **{N(d.Missed)}** ({N(d.WatchersMissing)} watchers missing any) |");
            L($"| duplicates / unexpected / seat events with an id below an earlier one (log order is by transaction, then id) | {N(Watchers.Sum(w => w.Duplicates))} / {N(Watchers.Sum(w => w.Unexpected) + d.UnknownChanges)} / {N(Watchers.Sum(w => w.OutOfOrder))} |");
            if (MemoryBefore.Count > 0 && MemoryConnected.Count > 0)
            {
                var perWatcher = (MemoryConnected.Sum(m => m.RssKib) - MemoryBefore.Sum(m => m.RssKib)) / (double)Math.Max(1, Watchers.Count);
                var anonPerWatcher = (MemoryConnected.Sum(m => m.AnonKib) - MemoryBefore.Sum(m => m.AnonKib)) / (double)Math.Max(1, Watchers.Count);
                L($"| API RSS (VmRSS, {MemoryBefore.Count} processes) before → with the watchers → after the sale | {Mib(MemoryBefore, m => m.RssKib)} → {Mib(MemoryConnected, m => m.RssKib)} → {Mib(MemoryAfterSale, m => m.RssKib)} MiB |");
                L($"| **memory per watcher** (RSS with − before, ÷ watchers) | **{N(perWatcher, 1)} KiB** (anonymous RSS: {N(anonPerWatcher, 1)} KiB) |");
                L($"| API threads before → with the watchers | {N(MemoryBefore.Sum(m => m.Threads))} → {N(MemoryConnected.Sum(m => m.Threads))} |");
            }

            if (AfterClose is { } probe)
            {
                L($"| event page right after the watchers left (a GET every 250 ms for 10 s) | {string.Join(", ", probe.Statuses.Select(kv => $"{kv.Key} × {kv.Value}"))}{(probe.LastShedSeconds is { } s ? $"; last 503 at {s:F1} s" : "")} |");
            }

            L();
            L("Purchase requests during the sale (HdrHistogram, ms):");
            L();
            L("| request | count | p50 | p95 | p99 | max | answers |");
            L("|---|---|---|---|---|---|---|");
            foreach (var p in sale.Phases.Where(p => p.Count > 0))
            {
                L($"| {p.Name} | {N(p.Count)} | {p.Ms(50):F1} | {p.Ms(95):F1} | {p.Ms(99):F1} | {p.MaxMs:F1} | {string.Join(", ", p.Statuses.Select(kv => $"{kv.Key} × {N(kv.Value)}"))} |");
            }

            L();
            if (sale.UnexpectedBodies.Count > 0)
            {
                L("First body of every unexpected answer:");
                L();
                foreach (var (what, text) in sale.UnexpectedBodies)
                {
                    L($"- {what}: `{text.Replace('`', '\'').Replace('\n', ' ')}`");
                }

                L();
            }
        }

        var phases = new List<(string Name, CpuSplit Cpu, double Wall)>();
        if (ConnectCpu is not null)
        {
            phases.Add(("connect", ConnectCpu, ConnectElapsed.TotalSeconds));
        }

        if (SaleCpu is not null)
        {
            phases.Add(("sale + drain", SaleCpu, SaleElapsed.TotalSeconds + DrainElapsed.TotalSeconds));
        }

        if (phases.Count > 0)
        {
            ReportText.CpuTable(sb, Machine.Cores, phases);
            L();
        }

        if (Counts is { } c)
        {
            L($"Postgres afterwards: {N(c.SoldSeats)} sold seats, {N(c.ValidTickets)} valid tickets, {N(c.Orders)} orders, {N(c.HeldSeats)} seats on hold.");
            L();
        }

        ReportText.Tail(sb, "Checks:", Checks, Notes, Plots);
        L(ReportText.Machine(Machine, PostgresVersion, BusyBeforeStart, withPgBench: false));
        return sb.ToString();
    }
}
