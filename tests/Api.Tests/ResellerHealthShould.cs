using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Tests;

/// <summary>
/// The operators' health view of a reseller when its servers are not there (a closed port) or hang (a port that accepts
/// connections and never answers): every component is down with its reason, and the answer comes within the checks'
/// timeout, not the drivers' own (longer) ones.
/// </summary>
public sealed class ResellerHealthShould : IAsyncDisposable
{
    private readonly TcpListener _blackHole = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public ResellerHealthShould()
    {
        _blackHole.Start();
        _ = AcceptForeverAsync();
    }

    private int BlackHolePort => ((IPEndPoint)_blackHole.LocalEndpoint).Port;

    [Fact]
    public async Task ReportEveryComponentDownWithinTheTimeoutWhenTheServersHang()
    {
        var health = Health(BlackHolePort);
        var clock = Stopwatch.StartNew();
        var report = await health.CheckAsync([Tenant("acme")], CancellationToken.None);
        clock.Stop();

        var line = Assert.Single(report.Resellers);
        Assert.Equal(("acme", HealthStates.Down), (line.Id, line.Status));
        Assert.Equal(["database", "redis", "identity"], line.Components.Select(c => c.Name));
        Assert.All(line.Components, c =>
        {
            Assert.Equal(HealthStates.Down, c.Status);
            Assert.Equal("no answer within 2 s", c.Error);
        });
        // the three checks run at once, each cut at 2 s
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ReportEveryComponentDownWhenNothingListens()
    {
        var closed = FreePort();
        var report = await Health(closed).CheckAsync([Tenant("globex")], CancellationToken.None);

        var line = Assert.Single(report.Resellers);
        Assert.Equal(HealthStates.Down, line.Status);
        Assert.All(line.Components, c => Assert.Equal(HealthStates.Down, c.Status));
        Assert.All(line.Components, c => Assert.False(string.IsNullOrEmpty(c.Error)));
        // never the connection string or the server's address in the reason
        Assert.All(line.Components, c => Assert.DoesNotContain("Password", c.Error!, StringComparison.OrdinalIgnoreCase));
    }

    private static ResellerTenantInfo Tenant(string id) =>
        new(id, id, "eu", ResellerTenantInfo.DatabaseNameFor(id), ResellerTenantInfo.RedisConnectionNameFor(id), [$"{id}.eu.localhost"]);

    private static ResellerHealth Health(int port)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = $"Host=127.0.0.1;Port={port};Username=nobody;Password=secret-password",
            ["ConnectionStrings:redis-acme"] = $"127.0.0.1:{port}",
            ["ConnectionStrings:redis-globex"] = $"127.0.0.1:{port}",
        }).Build();
        var storage = Options.Create(new ResellerStorageOptions());
        var http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var identity = Options.Create(new IdentityServiceOptions { MetadataService = $"http://127.0.0.1:{port}", PublicOrigin = "http://localhost:1" });
        return new ResellerHealth(
            new ResellerDataSources(configuration, storage, TimeProvider.System, NullLoggerFactory.Instance),
            new ResellerRedisConnections(configuration, storage, TimeProvider.System), http, identity, TimeProvider.System);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _blackHole.AcceptTcpClientAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(client);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _blackHole.Stop();
        lock (_held)
        {
            foreach (var client in _held)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
