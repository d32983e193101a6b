using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// CPU time per process group between two points, from /proc: exact deltas of utime+stime (not sampling). Only processes
/// of this run are grouped (this process, DCP started by it, and everything DCP started); the rest of the machine shows as
/// "outside this run". Exited children count through their parent's cutime/cstime (the postmaster reaps its backends,
/// this process reaps pgbench).
/// </summary>
public sealed class CpuSampler
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ, 100 on every Linux the bench targets
    private readonly Dictionary<int, string> _cmdlines = [];

    /// <summary>Group names in report order.</summary>
    public static readonly string[] Groups =
        ["HoldBench (load generator + in-process AppHost)", "pgbench", "eu-api", "postgres", "DCP (proxies, controllers)", "garnet", "worker", "other of this run"];

    /// <summary>Reads the current counters.</summary>
    public static CpuSnapshot Take()
    {
        var procs = new Dictionary<int, ProcStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (ReadStat(pid) is { } stat)
            {
                procs[pid] = stat;
            }
        }

        var (busy, total) = ReadMachine();
        return new CpuSnapshot(procs, busy, total);
    }

    /// <summary>Seconds of CPU per group between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public CpuSplit Diff(CpuSnapshot start, CpuSnapshot end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        var mine = RunProcesses(end);
        var seconds = Groups.ToDictionary(g => g, _ => 0.0);
        double ofRun = 0;
        foreach (var pid in mine)
        {
            var now = end.Processes[pid];
            var before = start.Processes.TryGetValue(pid, out var s) && s.StartTime == now.StartTime ? s : null;
            var own = (now.Utime + now.Stime - (before is null ? 0 : before.Utime + before.Stime)) / TicksPerSecond;
            var children = (now.Cutime + now.Cstime - (before is null ? 0 : before.Cutime + before.Cstime)) / TicksPerSecond;
            var group = Classify(pid, now);
            seconds[group] += own;
            ofRun += own;
            if (pid == Environment.ProcessId)
            {
                seconds["pgbench"] += children;   // the only children this process reaps during a phase
                ofRun += children;
            }
            else if (group == "postgres" && (!end.Processes.TryGetValue(now.Ppid, out var parent) || parent.Comm != "postgres"))
            {
                seconds["postgres"] += children;  // the postmaster: backends that exited
                ofRun += children;
            }
        }

        var machineBusy = (end.MachineBusyTicks - start.MachineBusyTicks) / TicksPerSecond;
        var machineTotal = (end.MachineTotalTicks - start.MachineTotalTicks) / TicksPerSecond;
        return new CpuSplit(seconds, machineBusy, machineTotal, Math.Max(0, machineBusy - ofRun));
    }

    /// <summary>Command lines (spaces for NULs) of this run's processes in <paramref name="group"/>.</summary>
    public IReadOnlyList<(int Pid, string Command)> ProcessesOf(CpuSnapshot snap, string group)
    {
        ArgumentNullException.ThrowIfNull(snap);
        return [.. RunProcesses(snap).Where(pid => Classify(pid, snap.Processes[pid]) == group).Order()
            .Select(pid => (pid, Cmdline(pid).Replace('\0', ' ').Trim()))];
    }

    /// <summary>This process, DCP (linked by <c>--monitor pid</c>, it re-parents) and every descendant of those.</summary>
    private HashSet<int> RunProcesses(CpuSnapshot snap)
    {
        var mine = new HashSet<int> { Environment.ProcessId };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, stat) in snap.Processes)
            {
                if (mine.Contains(pid))
                {
                    continue;
                }

                if (mine.Contains(stat.Ppid) || MonitorsOneOf(pid, mine))
                {
                    mine.Add(pid);
                    grew = true;
                }
            }
        }
        while (grew);
        return mine;
    }

    private bool MonitorsOneOf(int pid, HashSet<int> mine)
    {
        var args = Cmdline(pid).Split('\0');
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--monitor" && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var watched) && mine.Contains(watched))
            {
                return true;
            }
        }

        return false;
    }

    private string Classify(int pid, ProcStat stat)
    {
        if (pid == Environment.ProcessId)
        {
            return Groups[0];
        }

        var cmd = Cmdline(pid);
        return stat.Comm switch
        {
            "pgbench" => "pgbench",
            "postgres" => "postgres",
            _ when cmd.Contains("TicketAspire.Api", StringComparison.Ordinal) && !cmd.StartsWith("dotnet\0run", StringComparison.Ordinal) => "eu-api",
            _ when cmd.Contains("TicketAspire.Worker", StringComparison.Ordinal) && !cmd.StartsWith("dotnet\0run", StringComparison.Ordinal) => "worker",
            _ when cmd.Contains("TicketAspire.GarnetHost", StringComparison.Ordinal) && !cmd.StartsWith("dotnet\0run", StringComparison.Ordinal) => "garnet",
            _ when cmd.Contains("/dcp\0", StringComparison.Ordinal) || stat.Comm.StartsWith("dcp", StringComparison.Ordinal) => "DCP (proxies, controllers)",
            _ => "other of this run",
        };
    }

    private string Cmdline(int pid)
    {
        if (!_cmdlines.TryGetValue(pid, out var cmd))
        {
            try
            {
                cmd = File.ReadAllText($"/proc/{pid}/cmdline");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                cmd = "";
            }

            _cmdlines[pid] = cmd;
        }

        return cmd;
    }

    private static ProcStat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // pid (comm) state ppid ... : comm may hold spaces and parentheses, so split after the last ')'
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var comm = text[(open + 1)..close];
        var f = text[(close + 2)..].Split(' ');
        // f[0] = state (field 3); utime = field 14 -> f[11], stime f[12], cutime f[13], cstime f[14], starttime field 22 -> f[19]
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return new ProcStat(comm, (int)L(1), L(11), L(12), L(13), L(14), L(19));
    }

    private static (long Busy, long Total) ReadMachine()
    {
        var first = File.ReadLines("/proc/stat").First();
        var v = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest times are already inside user/nice)
        var total = v.Take(8).Sum();
        var idle = v[3] + v[4];
        return (total - idle, total);
    }
}

/// <summary>One process's counters (clock ticks).</summary>
public sealed record ProcStat(string Comm, int Ppid, long Utime, long Stime, long Cutime, long Cstime, long StartTime);

/// <summary>Counters of every process and of the machine at one moment.</summary>
public sealed record CpuSnapshot(IReadOnlyDictionary<int, ProcStat> Processes, long MachineBusyTicks, long MachineTotalTicks);

/// <summary>CPU seconds per group over a phase, with the machine's busy and total seconds (all cores).</summary>
public sealed record CpuSplit(IReadOnlyDictionary<string, double> Seconds, double MachineBusy, double MachineTotal, double OutsideRun);
