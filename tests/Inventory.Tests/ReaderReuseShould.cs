using System.Diagnostics;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Npgsql hands a pooled connection's reader object to the connection's next user, so a reader must be disposed once,
/// before the next command: disposing it again later closed another request's results and hung it. On a pool of two
/// connections, requests that take those paths (an empty page past the end, a hold's first look at an event) must all
/// finish.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class ReaderReuseShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(ReaderReuseShould), maxPoolSize: 2);

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task FinishConcurrentPagesPastTheEndAndFirstHolds()
    {
        var events = new List<EventDetail>();
        for (var i = 0; i < 8; i++)
        {
            events.Add(await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(20)));
        }

        var watch = Stopwatch.StartNew();
        var pages = Enumerable.Range(0, 40).Select(i => Task.Run(() => _inventory.Catalog.ListAsync(
            new EventQuery(null, $"nowhere-{i}", null, null, "date", false, 5, 20), CancellationToken.None)));
        // a fresh service per hold: every one reads the event's metadata (two commands) instead of the cache
        var holds = Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            new HoldService(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options, new EventMetadataCache())
                .CreateAsync(new CreateHoldCommand(events[i % 8].Id, $"buyer-{i}", null, [new TicketRequest(events[i % 8].TicketClasses[0].Id, 1)], null),
                    CancellationToken.None)));
        var all = Task.WhenAll(Task.WhenAll(pages), Task.WhenAll(holds));
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))));

        Assert.All(await Task.WhenAll(pages), p => Assert.Empty(p.Events));
        Assert.All(await Task.WhenAll(holds), h => h.ShouldSucceed());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
    }
}
