using System.Diagnostics;
using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>What the numbers were measured on.</summary>
public sealed record MachineInfo(int Cores, string Memory, string CpuModel, string Kernel, string DotnetVersion, string PgBenchVersion, DateTimeOffset Date)
{
    /// <summary>Reads /proc and asks dotnet and pgbench for their versions.</summary>
    public static async Task<MachineInfo> ReadAsync(string pgbench, CancellationToken ct)
    {
        var memKb = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease", ct)).Trim() : "?";
        return new MachineInfo(Environment.ProcessorCount, $"{memKb / 1024.0 / 1024.0:F1} GiB", cpu, kernel,
            await OutputOfAsync("dotnet", "--version", ct), await OutputOfAsync(pgbench, "--version", ct), DateTimeOffset.Now);
    }

    /// <summary>Busy share of all cores over <paramref name="window"/> (0..1), to see whether something else is loading the machine.</summary>
    public static async Task<double> BusyShareAsync(TimeSpan window, CancellationToken ct)
    {
        static (long Busy, long Total) Read()
        {
            var v = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            return (v.Sum() - v[3] - v[4], v.Sum());
        }

        var a = Read();
        await Task.Delay(window, ct);
        var b = Read();
        return b.Total == a.Total ? 0 : (double)(b.Busy - a.Busy) / (b.Total - a.Total);
    }

    private static async Task<string> OutputOfAsync(string exe, string arg, CancellationToken ct)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(exe, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null)
            {
                return "?";
            }

            var text = await p.StandardOutput.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            return text.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
