using System.Diagnostics;
using System.Net.Http.Json;
using Aspire.Hosting;
using StackExchange.Redis;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// A cell file may choose Debian's <c>redis-server</c> instead of Garnet; and stopping the AppHost stops every child
/// process: no orphaned Postgres, Garnet or redis-server.
/// </summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly string _regions = Directory.CreateTempSubdirectory("ta-regions-").FullName;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ta-sd-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_redis_server_cell_serves_and_disposing_the_apphost_leaves_no_child_process_behind()
    {
        File.WriteAllText(Path.Combine(_regions, "gx.json"), """
            {"id":"gx","jurisdiction":"Garnet land","currency":"EUR","api_port":5901,"redis_server":"garnet",
             "resellers":[{"id":"gshop","name":"G Shop","hosts":["gshop.gx.localhost"]}]}
            """);
        File.WriteAllText(Path.Combine(_regions, "rx.json"), """
            {"id":"rx","jurisdiction":"Redis land","currency":"GBP","api_port":5911,"redis_server":"redis-server",
             "resellers":[{"id":"rshop","name":"R Shop","hosts":["rshop.rx.localhost"]}]}
            """);
        using var cts = new CancellationTokenSource(PlatformFixture.StartTimeout);
        var garnetsBefore = Pids("TicketAspire.GarnetHost");
        var redisBefore = Pids("redis-server");

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"TicketAspire:RegionsDir={_regions}", $"TicketAspire:DataDir={_dataDir}", "TicketAspire:Durable=false", "TicketAspire:FixedPorts=false"], cts.Token);
        List<int> children;
        await using (var app = await builder.BuildAsync(cts.Token))
        {
            await app.StartAsync(cts.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("rx-api", cts.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gx-api", cts.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("rx-identity", cts.Token);

            // the integrator's secret was generated on first start and kept under the data root
            using var identity = new HttpClient { BaseAddress = app.GetEndpoint("rx-identity", "http") };
            var secret = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "rx-client-secrets", "rshop"), cts.Token)).Trim();
            var token = await Tokens.ClientCredentialsAsync(identity, "rshop", "rshop-backend", secret, Tokens.AllIntegratorScopes);

            // the redis-server cell sells, and caches in its reseller's redis-server
            using var http = new HttpClient { BaseAddress = app.GetEndpoint("rx-api", "http") };
            http.DefaultRequestHeaders.Host = "rshop.rx.localhost";
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var (created, seats) = await http.CreateReservedEventAsync("Redis-server show", 1, 2);
            Assert.Equal("GBP", (string)created["currency"]!);
            await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "r", seat_ids = seats }, HttpStatusCode.Created);
            await http.GetJsonAsync($"/v1/events/{created.Id()}");
            var endpoint = app.GetEndpoint("rx-rshop-redis", "tcp");
            await using (var redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint.Host}:{endpoint.Port}"))
            {
                Assert.True(await redis.GetDatabase().KeyExistsAsync("ta:avail:" + Guid.Parse(created.Id()).ToString("N")));
            }

            var postgres = Pids(_dataDir);
            var garnets = Pids("TicketAspire.GarnetHost").Except(garnetsBefore).ToList();
            var redisServers = Pids("redis-server").Except(redisBefore).ToList();
            Assert.Equal(2, postgres.Count(p => Command(p).Contains("/postgres ", StringComparison.Ordinal)));   // one postmaster per cell
            Assert.NotEmpty(garnets);
            Assert.NotEmpty(redisServers);
            children = [.. postgres, .. garnets, .. redisServers];
            await app.StopAsync(cts.Token);
        }

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && children.Any(IsAlive))
        {
            await Task.Delay(250, cts.Token);
        }

        Assert.DoesNotContain(children, IsAlive);
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _regions, _dataDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Processes whose command line contains <paramref name="marker"/>.</summary>
    private static List<int> Pids(string marker) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Command(pid).Contains(marker, StringComparison.Ordinal))];

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');   // a zombie has exited
        }
        catch (IOException)
        {
            return false;
        }
    }
}
