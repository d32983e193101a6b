using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>Hold-without-confirm detection over the holds table, blocks in <c>account_blocks</c>.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class AccountBlocksShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly TimeSpan BlockFor = TimeSpan.FromMinutes(30);
    private InventoryHarness _inventory = null!;
    private AccountBlocks _blocks = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(AccountBlocksShould));
        _blocks = new AccountBlocks(_inventory.Db, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task BlockAnAccountThatLetsHoldsLapseOrCancelsThem()
    {
        var (eventId, classId) = await GaEventAsync();
        await LapseAsync(eventId, classId, "hoarder", expiring: 2, cancelled: 1);

        var below = await _blocks.CheckAsync("hoarder", Window, threshold: 4, BlockFor, CancellationToken.None);
        await LapseAsync(eventId, classId, "hoarder", expiring: 0, cancelled: 1);
        var reached = await _blocks.CheckAsync("hoarder", Window, threshold: 4, BlockFor, CancellationToken.None);
        var again = await _blocks.CheckAsync("hoarder", Window, threshold: 4, BlockFor, CancellationToken.None);

        Assert.False(below.IsBlocked);
        Assert.Equal(3, below.Unconfirmed);
        Assert.True(reached.BlockStarted);
        Assert.Equal(_inventory.Time.GetUtcNow() + BlockFor, reached.BlockedUntil!.Value, TimeSpan.FromMilliseconds(1));
        Assert.True(again.IsBlocked);
        Assert.False(again.BlockStarted);
        Assert.False((await _blocks.CheckAsync("someone-else", Window, 4, BlockFor, CancellationToken.None)).IsBlocked);
    }

    [Fact]
    public async Task EndABlockEarlyForSupportWithoutBlockingAgainForTheSameHolds()
    {
        var (eventId, classId) = await GaEventAsync();
        await LapseAsync(eventId, classId, "forgiven", expiring: 1, cancelled: 2);
        Assert.True((await _blocks.CheckAsync("forgiven", Window, threshold: 3, BlockFor, CancellationToken.None)).BlockStarted);

        _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        var lifted = await _blocks.UnblockAsync("forgiven", CancellationToken.None);
        var again = await _blocks.UnblockAsync("forgiven", CancellationToken.None);
        _inventory.Time.Advance(TimeSpan.FromSeconds(1));
        var after = await _blocks.CheckAsync("forgiven", Window, threshold: 3, BlockFor, CancellationToken.None);

        Assert.True(lifted);
        Assert.False(again);
        Assert.False(await _blocks.UnblockAsync("never-blocked", CancellationToken.None));
        // the holds before the block's early end no longer count: the slate is clean, as after a block that ran its course
        Assert.False(after.IsBlocked);
        Assert.Equal(0, after.Unconfirmed);
        await LapseAsync(eventId, classId, "forgiven", expiring: 0, cancelled: 3);
        Assert.True((await _blocks.CheckAsync("forgiven", Window, threshold: 3, BlockFor, CancellationToken.None)).BlockStarted);
    }

    [Fact]
    public async Task NotCountConfirmedOrLiveHolds()
    {
        var (eventId, classId) = await GaEventAsync();
        for (var i = 0; i < 3; i++)
        {
            var hold = (await _inventory.HoldTicketsAsync(eventId, classId, 1, "buyer")).ShouldSucceed();
            (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();
        }

        (await _inventory.HoldTicketsAsync(eventId, classId, 1, "buyer")).ShouldSucceed();

        var standing = await _blocks.CheckAsync("buyer", Window, threshold: 1, BlockFor, CancellationToken.None);

        Assert.False(standing.IsBlocked);
        Assert.Equal(0, standing.Unconfirmed);
    }

    [Fact]
    public async Task LiftTheBlockWhenItEndsAndStartAfreshFromThere()
    {
        var (eventId, classId) = await GaEventAsync();
        await LapseAsync(eventId, classId, "repeat", expiring: 0, cancelled: 2);
        Assert.True((await _blocks.CheckAsync("repeat", Window, threshold: 2, BlockFor, CancellationToken.None)).BlockStarted);

        _inventory.Time.Advance(BlockFor + TimeSpan.FromSeconds(1));
        var after = await _blocks.CheckAsync("repeat", Window, threshold: 2, BlockFor, CancellationToken.None);
        await LapseAsync(eventId, classId, "repeat", expiring: 0, cancelled: 2);
        var reoffended = await _blocks.CheckAsync("repeat", Window, threshold: 2, BlockFor, CancellationToken.None);

        Assert.False(after.IsBlocked);
        Assert.Equal(0, after.Unconfirmed);
        Assert.True(reoffended.BlockStarted);
    }

    private async Task<(Guid EventId, Guid ClassId)> GaEventAsync()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(100));
        return (created.Id, created.TicketClasses[0].Id);
    }

    private async Task LapseAsync(Guid eventId, Guid classId, string customer, int expiring, int cancelled)
    {
        for (var i = 0; i < expiring; i++)
        {
            (await _inventory.HoldTicketsAsync(eventId, classId, 1, customer, expireInSeconds: 10)).ShouldSucceed();
        }

        for (var i = 0; i < cancelled; i++)
        {
            var hold = (await _inventory.HoldTicketsAsync(eventId, classId, 1, customer)).ShouldSucceed();
            (await _inventory.Holds.CancelAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
        }

        _inventory.Time.Advance(TimeSpan.FromSeconds(11));
    }
}
