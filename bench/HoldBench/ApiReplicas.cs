using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// The eu-api replicas of a run: each one's own address (not Aspire's proxy in front of them) and its process, for the
/// modes that spread connections over the replicas or read their memory.
/// </summary>
public static partial class ApiReplicas
{
    [System.Text.RegularExpressions.GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial System.Text.RegularExpressions.Regex Ansi();

    /// <summary>
    /// The own address of each running replica of eu-api, from the replicas' resource snapshots: their URLs, or the address
    /// their process was told to listen on. Waits up to a minute for <paramref name="count"/> of them.
    /// </summary>
    public static async Task<IReadOnlyList<Uri>> EndpointsAsync(DistributedApplication app, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        var proxy = app.GetEndpoint("eu-api", "http");
        var found = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var seen = new List<string>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(cts.Token))
            {
                if (e.Resource.Name != "eu-api" || e.Snapshot.State?.Text != KnownResourceStates.Running)
                {
                    continue;
                }

                var env = e.Snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
                var candidates = e.Snapshot.Urls.Select(u => u.Url)
                    .Concat((env.GetValueOrDefault("ASPNETCORE_URLS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                    .Concat((env.GetValueOrDefault("HTTP_PORTS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://localhost:{p}"))
                    .ToList();
                seen.Add($"{e.ResourceId}: {string.Join(" ", candidates)}");
                var own = candidates
                    .Select(c => Uri.TryCreate(c.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://*:", "://localhost:", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null)
                    .FirstOrDefault(u => u is { Scheme: "http" } && u.Port != proxy.Port);
                if (own is not null)
                {
                    // 127.0.0.1, not localhost: thousands of connections should not each resolve a name (or try ::1 first)
                    found[e.ResourceId] = new UriBuilder(own) { Host = "127.0.0.1", Path = "/" }.Uri;
                }

                if (found.Count >= count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }

        return found.Count >= count
            ? [.. found.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value)]
            : throw new InvalidOperationException($"expected {count} replicas of eu-api with their own address; saw {string.Join(" | ", seen)}");
    }

    /// <summary>
    /// Collects <paramref name="max"/> log lines of the eu-api replicas from the first that reports a failure (error output or
    /// "fail:"), until <paramref name="ct"/> is cancelled; the run's report lists them.
    /// </summary>
    public static async Task CollectFailuresAsync(DistributedApplication app, List<string> into, int max, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(into);
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var watched = new HashSet<string>(StringComparer.Ordinal);
        var tasks = new List<Task>();
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(ct))
            {
                if (e.Resource.Name != "eu-api" || !watched.Add(e.ResourceId))
                {
                    continue;
                }

                var id = e.ResourceId;
                tasks.Add(Task.Run(async () =>
                {
                    await foreach (var batch in logs.WatchAsync(id).WithCancellation(ct))
                    {
                        foreach (var logLine in batch)
                        {
                            var line = logLine with { Content = Ansi().Replace(logLine.Content, "") };
                            // a failure line and everything after it: the first exception's whole stack
                            if (into.Count > 0 || line.IsErrorMessage || line.Content.Contains("fail:", StringComparison.Ordinal))
                            {
                                lock (into)
                                {
                                    if (into.Count < max)
                                    {
                                        into.Add($"{id}: {(line.Content.Length > 400 ? line.Content[..400] + " …" : line.Content)}");
                                    }
                                }
                            }
                        }
                    }
                }, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The throw-away data directory of a run: <c>/tmp/ta-bench-&lt;id&gt;</c>, the id from <c>HOLDBENCH_RUN_ID</c> when the
    /// run script sets it (so it can tell its own leftover processes from another run's), else random.
    /// </summary>
    public static string DataDirectory() =>
        Path.Combine("/tmp", "ta-bench-" + (Environment.GetEnvironmentVariable("HOLDBENCH_RUN_ID") is { Length: > 0 } id && id.All(char.IsAsciiLetterOrDigit)
            ? id
            : Guid.NewGuid().ToString("N")[..8]));

    /// <summary>The processes of this run's API replicas (their pids), found as <see cref="CpuSampler"/> groups them.</summary>
    public static IReadOnlyList<int> Processes(CpuSampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        return [.. sampler.ProcessesOf(CpuSampler.Take(), "eu-api").Select(p => p.Pid)];
    }

    /// <summary>Resident memory and thread count of each process now, from /proc/&lt;pid&gt;/status.</summary>
    public static IReadOnlyList<ProcessMemory> Memory(IReadOnlyList<int> pids)
    {
        ArgumentNullException.ThrowIfNull(pids);
        var result = new List<ProcessMemory>();
        foreach (var pid in pids)
        {
            long rss = 0, anon = 0, threads = 0;
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    static long Value(string line) =>
                        long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        rss = Value(line);
                    }
                    else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                    {
                        anon = Value(line);
                    }
                    else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    {
                        threads = Value(line);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;   // the process is gone
            }

            result.Add(new ProcessMemory(pid, rss, anon, threads));
        }

        return result;
    }
}

/// <summary>One process's memory: VmRSS and RssAnon in KiB, and its threads.</summary>
public sealed record ProcessMemory(int Pid, long RssKib, long AnonKib, long Threads);
