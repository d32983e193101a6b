using System.Globalization;
using System.Text;

namespace TicketAspire.Bench.HoldBench;

/// <summary>The parts every mode's markdown report ends with: checks, notes, plots and the machine line.</summary>
public static class ReportText
{
    /// <summary>Appends the checks under <paramref name="title"/>, then the notes and the plots.</summary>
    public static void Tail(StringBuilder sb, string title, IEnumerable<(string Check, bool Ok, string Detail)> checks, IReadOnlyList<string> notes,
        IReadOnlyList<string> plots)
    {
        ArgumentNullException.ThrowIfNull(sb);
        sb.Append(title).Append("\n\n");
        foreach (var (check, ok, detail) in checks)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {(ok ? "OK  " : "FAIL")} {check}{(detail.Length > 0 ? " — " + detail : "")}\n");
        }

        sb.Append('\n');
        if (notes.Count > 0)
        {
            foreach (var n in notes)
            {
                sb.Append(CultureInfo.InvariantCulture, $"- note: {n}\n");
            }

            sb.Append('\n');
        }

        if (plots.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Plots: {string.Join(", ", plots.Select(p => $"`{p}`"))}\n\n");
        }
    }

    /// <summary>The machine line: cores, memory, kernel, SDK, (pgbench,) Postgres and how busy the box was before the start.</summary>
    public static string Machine(MachineInfo machine, string postgresVersion, double busyBeforeStart, bool withPgBench)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return $"Machine: {machine.Cores} cores ({machine.CpuModel}), {machine.Memory}, Linux {machine.Kernel}, .NET SDK {machine.DotnetVersion}, " +
               (withPgBench ? $"{machine.PgBenchVersion}, " : "") +
               $"{postgresVersion}; machine busy before start {busyBeforeStart * 100 * machine.Cores:F0} % (of {machine.Cores * 100} %).";
    }

    /// <summary>
    /// The CPU table: per process group and phase, % of one core from the /proc deltas; groups idle in every phase are
    /// left out, "outside this run" and "machine busy" close it.
    /// </summary>
    public static void CpuTable(StringBuilder sb, int cores, IReadOnlyList<(string Name, CpuSplit Cpu, double Wall)> phases)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(phases);
        static string Share(double seconds, double wall) => string.Create(CultureInfo.InvariantCulture, $"{seconds / Math.Max(wall, 1e-9) * 100:F0} %");
        sb.Append(CultureInfo.InvariantCulture, $"CPU per process group, % of one core ({cores} cores = {cores * 100} %), /proc utime+stime deltas:\n\n");
        sb.Append("| group | ").Append(string.Join(" | ", phases.Select(p => p.Name))).Append(" |\n");
        sb.Append("|---|").Append(string.Concat(phases.Select(_ => "---|"))).Append('\n');
        foreach (var g in CpuSampler.Groups)
        {
            if (phases.All(p => p.Cpu.Seconds[g] / Math.Max(p.Wall, 1e-9) < 0.005))
            {
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"| {g} | ").Append(string.Join(" | ", phases.Select(p => Share(p.Cpu.Seconds[g], p.Wall)))).Append(" |\n");
        }

        sb.Append("| outside this run | ").Append(string.Join(" | ", phases.Select(p => Share(p.Cpu.OutsideRun, p.Wall)))).Append(" |\n");
        sb.Append("| **machine busy** | ")
            .Append(string.Join(" | ", phases.Select(p => "**" + Share(p.Cpu.MachineBusy / p.Cpu.MachineTotal * cores, 1) + "**"))).Append(" |\n");
    }
}
