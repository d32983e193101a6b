using System.Diagnostics;
using Aspire.Hosting;

namespace TicketAspire.AppHost.Tests;

/// <summary>Stopping the AppHost stops every child process: no orphaned Postgres or Redis-protocol server.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Disposing_the_apphost_leaves_no_postgres_or_garnet_behind()
    {
        using var cts = new CancellationTokenSource(PlatformFixture.StartTimeout);
        var dataDir = Path.Combine(Path.GetTempPath(), "ta-sd-" + Guid.NewGuid().ToString("N")[..8]);
        var garnetsBefore = Pids("TicketAspire.GarnetHost");
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                ["TicketAspire:Cells=us", $"TicketAspire:DataDir={dataDir}", "TicketAspire:Durable=false", "TicketAspire:FixedPorts=false"], cts.Token);
            List<int> postgres, garnets;
            await using (var app = await builder.BuildAsync(cts.Token))
            {
                await app.StartAsync(cts.Token);
                await app.ResourceNotifications.WaitForResourceHealthyAsync("us-api", cts.Token);
                postgres = Pids(dataDir);
                garnets = Pids("TicketAspire.GarnetHost").Except(garnetsBefore).ToList();
                Assert.NotEmpty(postgres);
                Assert.NotEmpty(garnets);
                await app.StopAsync(cts.Token);
            }

            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(30) && postgres.Concat(garnets).Any(IsAlive))
            {
                await Task.Delay(250, cts.Token);
            }

            Assert.DoesNotContain(postgres, IsAlive);
            Assert.DoesNotContain(garnets, IsAlive);
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    /// <summary>Processes whose command line contains <paramref name="marker"/>.</summary>
    private static List<int> Pids(string marker)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
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
