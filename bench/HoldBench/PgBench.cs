using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Runs /usr/bin/pgbench (Debian postgresql-client) with a custom script and parses its summary.</summary>
public static partial class PgBench
{
    /// <summary>Full path of pgbench, or null when it is not installed.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(dir, "pgbench");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Runs one pgbench invocation; throws when pgbench fails.</summary>
    public static async Task<PgBenchResult> RunAsync(string exe, PgBenchRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "-n", "-h", run.Host, "-p", run.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
            "-c", run.Clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(run.Threads, run.Clients).ToString(CultureInfo.InvariantCulture),
            "-T", run.DurationSeconds.ToString(CultureInfo.InvariantCulture), "-M", run.Mode, "-f", run.Script,
        })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in run.Variables)
        {
            psi.ArgumentList.Add("-D");
            psi.ArgumentList.Add($"{name}={value}");
        }

        psi.ArgumentList.Add(run.Database);
        // the server wants a password (SCRAM) for every connection: the superuser's, from the AppHost's connection string
        psi.Environment["PGPASSWORD"] = run.Password;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("pgbench did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(run.DurationSeconds + 60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pgbench ({run.Label}) cancelled or still running after {run.DurationSeconds + 60} s; killed it");
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pgbench ({run.Label}) exited with {process.ExitCode}:\n{errors}\n{output}");
        }

        double Number(Regex re, string what) => re.Match(output) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new FormatException($"pgbench ({run.Label}): no '{what}' in its output:\n{output}");

        return new PgBenchResult(run, Number(TpsRegex(), "tps"), Number(LatencyRegex(), "latency average"),
            (long)Number(ProcessedRegex(), "transactions actually processed"),
            FailedRegex().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            output + errors);
    }

    [GeneratedRegex(@"^tps = ([0-9.]+) \(without initial connection time\)", RegexOptions.Multiline)]
    private static partial Regex TpsRegex();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex LatencyRegex();

    [GeneratedRegex(@"^number of transactions actually processed: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex ProcessedRegex();

    [GeneratedRegex(@"^number of failed transactions: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex FailedRegex();
}

/// <summary>One pgbench invocation.</summary>
public sealed record PgBenchRun(
    string Label,
    string Host,
    int Port,
    string Database,
    string Script,
    int Clients,
    int Threads,
    int DurationSeconds,
    string Mode,
    IReadOnlyList<(string Name, string Value)> Variables,
    string? Password);

/// <summary>pgbench's summary of a run.</summary>
public sealed record PgBenchResult(PgBenchRun Run, double Tps, double LatencyAverageMs, long Transactions, long Failed, string Output);
