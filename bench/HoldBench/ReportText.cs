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
}
