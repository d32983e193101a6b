using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>The hold-without-confirm rule as <see cref="HoldService"/> enforces it: blocked accounts hold nothing.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class HoldServiceBlocksShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly AccountBlockOptions Rule = new()
    {
        UnconfirmedWindow = TimeSpan.FromHours(1),
        MaxUnconfirmedHolds = 3,
        BlockFor = TimeSpan.FromMinutes(30),
    };

    private InventoryHarness _inventory = null!;
    private HoldService _holds = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(HoldServiceBlocksShould));
        _holds = Holds(Rule);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task StartABlockAtTheThresholdAndRefuseTheBlockedAccountUntilItEnds()
    {
        var (eventId, classId) = await GaEventAsync();
        await CancelHoldsAsync(eventId, classId, "hoarder", Rule.MaxUnconfirmedHolds);

        var started = (await HoldAsync(eventId, classId, "hoarder")).ShouldFailWith(ErrorCodes.AccountBlocked);
        _inventory.Time.Advance(TimeSpan.FromMinutes(10));
        var refused = (await HoldAsync(eventId, classId, "hoarder")).ShouldFailWith(ErrorCodes.AccountBlocked);
        (await HoldAsync(eventId, classId, "honest")).ShouldSucceed();

        var until = started.Block!.BlockedUntil!.Value;
        Assert.True(started.Block.BlockStarted);
        Assert.Equal(Rule.MaxUnconfirmedHolds, started.Block.Unconfirmed);
        Assert.Equal(_inventory.Time.GetUtcNow() - TimeSpan.FromMinutes(10) + Rule.BlockFor, until, TimeSpan.FromMilliseconds(1));
        Assert.Equal(1800, started.RetryAfterSeconds);
        Assert.Equal(until, started.Extensions!["blocked_until"]);
        Assert.DoesNotContain("/v1", started.Detail, StringComparison.Ordinal);
        Assert.False(refused.Block!.BlockStarted);
        Assert.Equal(until, refused.Block.BlockedUntil);
        Assert.Equal(1200, refused.RetryAfterSeconds);
        Assert.Equal(0L, await ActiveHoldsAsync("hoarder"));

        // the block ends and clears the slate
        _inventory.Time.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1));
        (await HoldAsync(eventId, classId, "hoarder")).ShouldSucceed();
    }

    [Fact]
    public async Task AnswerABlockBeforeOtherRefusalsButNotBeforeTheRequestsOwnFields()
    {
        var (eventId, classId) = await GaEventAsync();
        await CancelHoldsAsync(eventId, classId, "hoarder", Rule.MaxUnconfirmedHolds);

        var unknownEvent = await _holds.CreateAsync(
            new CreateHoldCommand(Guid.NewGuid(), "hoarder", null, [new TicketRequest(classId, 1)], null), CancellationToken.None);
        var edgeRefused = await _holds.CreateAsync(
            new CreateHoldCommand(eventId, "hoarder", null, [new TicketRequest(classId, 1)], null), Task.FromResult(false), CancellationToken.None);
        var invalid = await _holds.CreateAsync(new CreateHoldCommand(eventId, "hoarder", null, null, null), CancellationToken.None);

        Assert.True(unknownEvent.ShouldFailWith(ErrorCodes.AccountBlocked).Block!.BlockStarted);
        Assert.False(edgeRefused.ShouldFailWith(ErrorCodes.AccountBlocked).Block!.BlockStarted);
        invalid.ShouldFailWith(ErrorCodes.Validation);
    }

    [Fact]
    public async Task ClaimNothingWhenTheHostsEdgeRefusesTheAttempt()
    {
        var (eventId, classId) = await GaEventAsync();

        var refused = await _holds.CreateAsync(
            new CreateHoldCommand(eventId, "buyer", null, [new TicketRequest(classId, 1)], null), Task.FromResult(false), CancellationToken.None);
        var allowed = await _holds.CreateAsync(
            new CreateHoldCommand(eventId, "buyer", null, [new TicketRequest(classId, 1)], null), Task.FromResult(true), CancellationToken.None);

        refused.ShouldFailWith(ErrorCodes.HoldRefused);
        allowed.ShouldSucceed();
        Assert.Equal(1L, await ActiveHoldsAsync("buyer"));
    }

    [Fact]
    public async Task MakeWaitlistOffersToABlockedAccount()
    {
        var (eventId, classId) = await GaEventAsync();
        await CancelHoldsAsync(eventId, classId, "hoarder", Rule.MaxUnconfirmedHolds);
        (await HoldAsync(eventId, classId, "hoarder")).ShouldFailWith(ErrorCodes.AccountBlocked);

        var offer = await _holds.OfferAsync(new CreateHoldCommand(eventId, "hoarder", null, [new TicketRequest(classId, 1)], 300), CancellationToken.None);

        Assert.Equal("hoarder", offer.ShouldSucceed().CustomerRef);
    }

    [Fact]
    public async Task StartNoBlockWhenTheRuleIsOff()
    {
        var holds = Holds(new AccountBlockOptions { Enabled = false, MaxUnconfirmedHolds = 1 });
        var (eventId, classId) = await GaEventAsync();
        await CancelHoldsAsync(eventId, classId, "anyone", 2);

        (await holds.CreateAsync(new CreateHoldCommand(eventId, "anyone", null, [new TicketRequest(classId, 1)], null), CancellationToken.None)).ShouldSucceed();
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM account_blocks"));
    }

    private HoldService Holds(AccountBlockOptions rule) => new(_inventory.Db, _inventory.Cache, _inventory.Time, _inventory.Options,
        new EventMetadataCache(), batcher: _inventory.Batcher, blocks: new AccountBlocks(_inventory.Db, _inventory.Time, rule));

    private Task<Result<HoldView>> HoldAsync(Guid eventId, Guid classId, string customer) =>
        _holds.CreateAsync(new CreateHoldCommand(eventId, customer, null, [new TicketRequest(classId, 1)], null), CancellationToken.None);

    private async Task CancelHoldsAsync(Guid eventId, Guid classId, string customer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var hold = (await HoldAsync(eventId, classId, customer)).ShouldSucceed();
            (await _holds.CancelAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
        }

        _inventory.Time.Advance(TimeSpan.FromSeconds(1));
    }

    private Task<long> ActiveHoldsAsync(string customer) =>
        _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE customer_ref = $1 AND status = 0", customer);

    private async Task<(Guid EventId, Guid ClassId)> GaEventAsync()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(100));
        return (created.Id, created.TicketClasses[0].Id);
    }
}
