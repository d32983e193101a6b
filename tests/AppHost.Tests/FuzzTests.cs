using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Random requests at every endpoint of the running API (enumerated from its endpoint data source): random JSON bodies,
/// strings with control and non-BMP characters and unpaired surrogates, huge and negative numbers, odd path casing,
/// random and valid ids; as acme's integrator and anonymously. No answer may be a 5xx, and the API replicas' resident
/// memory may not grow without bound. FsCheck generates the cases from a fixed seed and one random seed (printed on
/// failure: pass it as FUZZ_SEED to replay).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class FuzzTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const ulong FixedSeed = 20_261_204;
    private const int CasesPerSeed = 400;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);

    /// <summary>The API's default body limit (<c>RequestLimits:MaxBodyBytes</c>).</summary>
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>The status recorded for a request that got no answer (reset, timeout).</summary>
    private const int NoAnswer = 599;

    [Fact]
    public async Task Random_input_at_every_endpoint_never_yields_a_5xx_nor_unbounded_memory()
    {
        var endpoints = await ApiEndpoints.ListAsync(platform);
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await integrator.CreateReservedEventAsync("Fuzz " + Guid.NewGuid(), 2, 5);
        var hold = await integrator.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "fuzz", seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        string[] ids = [created.Id(), hold.Id(), seats[^1], Guid.Empty.ToString(), Guid.NewGuid().ToString()];
        var token = await platform.IntegratorTokenAsync("eu", "acme");
        var pids = await ApiPidsAsync();
        var rssBefore = pids.Sum(Rss);
        var randomSeed = Environment.GetEnvironmentVariable("FUZZ_SEED") is { Length: > 0 } replay
            ? ulong.Parse(replay, CultureInfo.InvariantCulture)
            : (ulong)Random.Shared.NextInt64(1, long.MaxValue);

        var failures = new List<string>();
        var sent = 0;
        var started = DateTime.UtcNow;
        foreach (var seed in new[] { FixedSeed, randomSeed })
        {
            // no generator here depends on the size: both numbers are the count, whichever order the overload takes them in
            var cases = FuzzCase.Generator(endpoints.Count, ids).Sample(CasesPerSeed, new Rnd(seed), CasesPerSeed);
            foreach (var c in cases)
            {
                if (DateTime.UtcNow - started > Budget)
                {
                    break;
                }

                var (method, pattern, name, _) = endpoints[c.Endpoint];
                // anonymous callers share small per-address budgets with every other test: anonymous reads only
                var anonymous = c.Anonymous && method == "GET";
                var path = ApiEndpoints.Fill(pattern, _ => c.Id) + c.Query;
                if (c.OddCase)
                {
                    path = OddCasingTests.OddCase(path);
                }

                var status = await SendAsync(method, path, c.Body, anonymous ? null : token);
                sent++;
                if (status >= 500)
                {
                    failures.Add($"seed {seed}: {name} {method} {path} ({(anonymous ? "anonymous" : "integrator")}) body {Shorten(c.Body)} → {(status == NoAnswer ? "no answer" : status)}");
                }
            }
        }

        var rssAfter = pids.Sum(Rss);
        output.WriteLine($"{sent} requests in {(DateTime.UtcNow - started).TotalSeconds:F0} s (seeds {FixedSeed}, {randomSeed}); API replicas' RSS {rssBefore / 1048576} MiB → {rssAfter / 1048576} MiB");
        Assert.True(failures.Count == 0, $"random seed {randomSeed} (replay with FUZZ_SEED={randomSeed}):\n" + string.Join("\n", failures.Take(30)));
        Assert.True(rssAfter - rssBefore < 512L * 1048576, $"the API replicas grew from {rssBefore / 1048576} MiB to {rssAfter / 1048576} MiB (random seed {randomSeed})");
    }

    private async Task<int> SendAsync(string method, string path, string? body, string? token)
    {
        using var http = token is null ? platform.ResellerClient("eu", "acme.eu.localhost") : platform.ResellerClient("eu", "acme.eu.localhost", token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null && method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException) when (request.Content is not null && Encoding.UTF8.GetByteCount(body!) > MaxBodyBytes)
        {
            // an oversized body is refused (413) before it is read, and the connection closed while the client still sends
            return (int)HttpStatusCode.RequestEntityTooLarge;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // no answer at all: as bad as a 5xx
            return NoAnswer;
        }
    }

    /// <summary>The process ids of the running <c>eu-api</c> replicas.</summary>
    private async Task<List<int>> ApiPidsAsync()
    {
        var pids = new Dictionary<string, int>(StringComparer.Ordinal);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await foreach (var e in platform.App.ResourceNotifications.WatchAsync(cts.Token))
            {
                if (e.Resource.Name == "eu-api" && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid)
                {
                    pids[e.ResourceId] = Convert.ToInt32(pid, CultureInfo.InvariantCulture);
                    if (pids.Count >= 2)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(pids.Count >= 1, "no eu-api process found");
        return [.. pids.Values];
    }

    /// <summary>Resident memory of a process, in bytes (/proc/&lt;pid&gt;/status, VmRSS).</summary>
    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Shorten(string? body) => body is null ? "(none)" : body.Length <= 200 ? body : body[..200] + $"… ({body.Length} chars)";
}
