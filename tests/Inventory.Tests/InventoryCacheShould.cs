using System.Text.Json;
using StackExchange.Redis;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>The reseller's Redis (a real Garnet server) as a cache that may be stale or gone, never the truth.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class InventoryCacheShould(PostgresServer postgres, GarnetServer garnet) : IClassFixture<GarnetServer>, IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    private IDatabase Redis => garnet.Redis.GetDatabase();

    public async Task InitializeAsync()
    {
        await garnet.FlushAsync();
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(InventoryCacheShould), garnet.Redis);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task CacheAvailabilityCountsUnderTheEventKey()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(5));

        (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();

        var cached = await Redis.StringGetAsync(InventoryCache.AvailabilityKey(created.Id));
        Assert.True(cached.HasValue, "availability was not cached");
        var counts = Assert.Single(JsonSerializer.Deserialize<ClassCount[]>((string)cached!)!);
        Assert.Equal(new ClassCount(created.TicketClasses[0].Id, 5, 0, 0), counts);
        Assert.NotNull(await Redis.KeyTimeToLiveAsync(InventoryCache.AvailabilityKey(created.Id)));
    }

    [Fact]
    public async Task ServeCountsFromTheCacheWhileTheEntryLives()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(5));
        var classId = created.TicketClasses[0].Id;
        await Redis.StringSetAsync(InventoryCache.AvailabilityKey(created.Id), JsonSerializer.Serialize(new[] { new ClassCount(classId, 2, 1, 2) }));

        var detail = (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();

        Assert.Equal((2, 1, 2), (detail.TicketClasses[0].Available, detail.TicketClasses[0].Held, detail.TicketClasses[0].Sold));
    }

    [Fact]
    public async Task ForgetCountsWhenAHoldChangesThem()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(5));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        var key = InventoryCache.AvailabilityKey(created.Id);
        (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();
        Assert.True(await Redis.KeyExistsAsync(key));

        var hold = (await _inventory.HoldSeatsAsync(created.Id, [seats[0].Id])).ShouldSucceed();

        Assert.False(await Redis.KeyExistsAsync(key));
        var afterHold = (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((4, 1), (afterHold.AvailableTicketCnt, afterHold.TicketClasses[0].Held));

        (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();

        Assert.False(await Redis.KeyExistsAsync(key));
        var afterConfirm = (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((4, 0, 1), (afterConfirm.AvailableTicketCnt, afterConfirm.TicketClasses[0].Held, afterConfirm.TicketClasses[0].Sold));
    }

    [Fact]
    public async Task ForgetCountsWhenAHoldIsCancelled()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(5));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        var hold = (await _inventory.HoldSeatsAsync(created.Id, [seats[0].Id])).ShouldSucceed();
        (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();

        (await _inventory.Holds.CancelAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();

        Assert.False(await Redis.KeyExistsAsync(InventoryCache.AvailabilityKey(created.Id)));
        Assert.Equal(5, (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed().AvailableTicketCnt);
    }

    [Fact]
    public async Task ShowANewEventInAListThatWasCached()
    {
        var query = new EventQuery(null, null, null, null, "date", false, 1, 20);
        await _inventory.CreateEventAsync(TestEvents.Reserved(2, "First"));
        Assert.Equal(["First"], (await _inventory.Catalog.ListAsync(query, CancellationToken.None)).Events.Select(e => e.Name));
        Assert.Single(garnet.Redis.GetServer(garnet.Redis.GetEndPoints()[0]).Keys(pattern: InventoryCache.Prefix + "events:list:*"));

        await _inventory.CreateEventAsync(TestEvents.Reserved(2, "Second", startsAt: TestEvents.StartsAt.AddDays(1)));
        var page = await _inventory.Catalog.ListAsync(query, CancellationToken.None);

        Assert.Equal(["First", "Second"], page.Events.Select(e => e.Name));
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task KeepSellingWhenRedisIsUnreachable()
    {
        var options = new ConfigurationOptions { EndPoints = { { "127.0.0.1", FreePort.Next() } }, AbortOnConnectFail = false, ConnectTimeout = 200 };
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync(options);
        await using var inventory = await InventoryHarness.CreateAsync(postgres, nameof(KeepSellingWhenRedisIsUnreachable), unreachable);
        Assert.False(unreachable.IsConnected);

        await ExerciseEverythingAsync(inventory);
    }

    [Fact]
    public async Task KeepSellingWhenRedisGoesDownAfterConnecting()
    {
        var doomed = new GarnetServer();
        await doomed.InitializeAsync();
        await using var inventory = await InventoryHarness.CreateAsync(postgres, nameof(KeepSellingWhenRedisGoesDownAfterConnecting), doomed.Redis);
        var created = await inventory.CreateEventAsync(TestEvents.Reserved(3, "Before the outage"));
        (await inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();

        doomed.Dispose();
        try
        {
            await ExerciseEverythingAsync(inventory);
        }
        finally
        {
            await doomed.DisposeAsync();
        }
    }

    private static async Task ExerciseEverythingAsync(InventoryHarness inventory)
    {
        var created = await inventory.CreateEventAsync(TestEvents.Reserved(3, "Cache-less night", startsAt: TestEvents.StartsAt.AddDays(7)));
        var seats = (await inventory.SeatMapAsync(created.Id)).Seats;
        var sold = (await inventory.HoldSeatsAsync(created.Id, [seats[0].Id, seats[1].Id])).ShouldSucceed();
        (await inventory.ConfirmAsync(sold.Id)).ShouldSucceed();
        var cancelled = (await inventory.HoldSeatsAsync(created.Id, [seats[2].Id])).ShouldSucceed();
        (await inventory.Holds.CancelAsync(cancelled.Id, null, CancellationToken.None)).ShouldSucceed();

        var page = await inventory.Catalog.ListAsync(new EventQuery(null, "Berlin", null, null, "date", false, 1, 20), CancellationToken.None);
        var detail = (await inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();

        var listed = page.Events.Single(e => e.Id == created.Id);
        Assert.Equal((3, 1), (listed.TotalTicketCnt, listed.AvailableTicketCnt));
        Assert.Equal((1, 0, 2), (detail.TicketClasses[0].Available, detail.TicketClasses[0].Held, detail.TicketClasses[0].Sold));
    }
}
