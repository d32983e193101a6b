using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// The server goes away under queued claims: every claim is answered at once with the connection's failure, instead of
/// batch after batch (and claim after claim, retried alone) each waiting for the server again.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class ClaimBatcherOutageShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(ClaimBatcherOutageShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task FailEveryQueuedClaimAtOnceWhenTheConnectionBreaks()
    {
        const int claims = 20;
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(100));
        var classId = created.TicketClasses[0].Id;
        // a "server" that drops each connection, as a Postgres killed mid-handshake does: the first one once the other
        // claims are queued behind it, every later one after 400 ms
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = DropConnectionsAsync(listener, queued.Task, TimeSpan.FromMilliseconds(400), stop.Token);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var dead = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=postgres;Database=gone;Timeout=5");
        // one drain loop: the first claim's batch is in flight while the others queue behind it
        var batcher = new ClaimBatcher(dead, new ClaimBatchingOptions { LoopsPerEvent = 1 });
        var holds = new HoldService(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options, new EventMetadataCache(), batcher: batcher);

        var attempts = Enumerable.Range(0, claims).Select(i => Task.Run(() => holds.CreateAsync(
            new CreateHoldCommand(created.Id, $"buyer-{i}", null, [new TicketRequest(classId, 1)], null), CancellationToken.None))).ToArray();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (batcher.Waiting < claims - 2)
            {
                await Task.Delay(10, wait.Token);
            }
        }

        await Task.Delay(200);   // the first batch may have taken two claims; let a straggler queue too

        var watch = Stopwatch.StartNew();
        queued.SetResult();
        foreach (var attempt in attempts)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => attempt);
        }

        // main: the queued batch failed, then each of its claims ran alone, 400 ms each (about 8 s for 19)
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"{claims} claims against a dropped connection took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, batcher.Waiting);
        await stop.CancelAsync();
        await server;
    }

    private static async Task DropConnectionsAsync(TcpListener listener, Task first, TimeSpan after, CancellationToken ct)
    {
        var open = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(ct);
                var drop = open.Count == 0 ? first : Task.Delay(after, CancellationToken.None);
                open.Add(Task.Run(async () =>
                {
                    using (client)
                    {
                        await drop;
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAll(open);
        }
    }
}
