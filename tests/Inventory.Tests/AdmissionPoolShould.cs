using System.Diagnostics;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// A hold on a waiting-room event keeps one pooled connection for its admission transaction; everything else it reads
/// (the sold-out check of a short general-admission claim, the seat conflict of a reserved one) must run on that
/// connection. Asking the pool for a second one let every connection wait for another once an on-sale sold out.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class AdmissionPoolShould(PostgresServer postgres) : IAsyncLifetime
{
    private const int PoolSize = 4;
    private readonly AdmissionTokens _tokens = new("test-signing-key-0123456789abcdef0123456789");
    private InventoryHarness _inventory = null!;
    private WaitingRoomService _rooms = null!;
    private HoldService _holds = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(AdmissionPoolShould), maxPoolSize: PoolSize);
        var cache = new WaitingRoomCache(_inventory.Time);
        _rooms = new WaitingRoomService(_inventory.Db, _tokens, "acme", cache, _inventory.Time);
        _holds = new HoldService(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options, new EventMetadataCache(),
            new AdmissionGate(_inventory.Db, _tokens, "acme", cache), _inventory.Batcher);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task AnswerEveryBuyerOfASoldOutRoomWithMoreBuyersThanConnections()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(2));
        (await _rooms.ConfigureAsync(ev.Id, new WaitingRoomSettings(_inventory.Time.GetUtcNow(), 6000, 600), "staff:test", CancellationToken.None)).ShouldSucceed();
        const int buyers = PoolSize * 4;
        for (var i = 0; i < buyers; i++)
        {
            (await _rooms.JoinAsync(ev.Id, $"b{i}", CancellationToken.None)).ShouldSucceed();
        }

        _inventory.Time.Advance(TimeSpan.FromSeconds(1));
        await _rooms.AdmitDueAsync(CancellationToken.None);
        var tokens = new List<string>();
        for (var i = 0; i < buyers; i++)
        {
            tokens.Add((await _rooms.GetEntryAsync(ev.Id, $"b{i}", CancellationToken.None)).ShouldSucceed().AdmissionToken!);
        }

        var classId = ev.TicketClasses[0].Id;
        var sw = Stopwatch.StartNew();
        var all = Task.WhenAll(Enumerable.Range(0, buyers).Select(i => Task.Run(() => _holds.CreateAsync(
            new CreateHoldCommand(ev.Id, $"b{i}", null, [new TicketRequest(classId, 1)], null, AdmissionToken: tokens[i]), CancellationToken.None))));
        var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.True(finished == all, $"{buyers} buyers on {PoolSize} connections not all answered after {sw.Elapsed.TotalSeconds:F0} s");
        var results = await all;
        Assert.Equal(2, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SoldOut, r.Error!.Code));
    }
}
