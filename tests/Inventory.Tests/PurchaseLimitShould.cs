using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// The per-customer, per-event ticket limit (HoldOptions.MaxTicketsPerCustomerPerEvent, default 6): counted in the claim
/// statement over live holds and valid tickets, and serialized per customer and event so a burst cannot overshoot it.
/// </summary>
public abstract class PurchaseLimitShould(PostgresServer postgres, bool batching) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() =>
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(PurchaseLimitShould) + (batching ? "_batched" : "_alone"), maxPoolSize: 60, batching: batching);

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task LetExactlyTheLimitThroughWhenOneCustomerSendsFiftyConcurrentHolds()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(200));
        var classId = created.TicketClasses[0].Id;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => _inventory.HoldTicketsAsync(created.Id, classId, 1, "greedy"))));

        Assert.Equal(_inventory.Options.MaxTicketsPerCustomerPerEvent, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.PurchaseLimitExceeded, r.Error!.Code));
        Assert.Equal(6L, await _inventory.ScalarAsync<long>(
            "SELECT count(*) FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE h.customer_ref = 'greedy' AND h.event_id = $1", created.Id));
    }

    [Fact]
    public async Task LetExactlyTheLimitThroughForReservedSeatsUnderConcurrency()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(60));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => _inventory.HoldSeatsAsync(created.Id, [seats[i]], "greedy"))));

        Assert.Equal(6, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.PurchaseLimitExceeded, r.Error!.Code));
    }

    [Fact]
    public async Task CountTicketsAlreadyBoughtAndReportLimitAndAlready()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(50));
        var classId = created.TicketClasses[0].Id;
        var bought = (await _inventory.HoldTicketsAsync(created.Id, classId, 4, "alice")).ShouldSucceed();
        (await _inventory.ConfirmAsync(bought.Id)).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "alice")).ShouldSucceed();

        var error = (await _inventory.HoldTicketsAsync(created.Id, classId, 2, "alice")).ShouldFailWith(ErrorCodes.PurchaseLimitExceeded);

        Assert.Equal(6, error.Extensions!["limit"]);
        Assert.Equal(5, error.Extensions["already"]);
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "alice")).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(created.Id, classId, 6, "bob")).ShouldSucceed();
    }

    [Fact]
    public async Task FreeTheAllowanceWhenAHoldExpiresOrIsCancelled()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(50));
        var classId = created.TicketClasses[0].Id;
        var lapsing = (await _inventory.HoldTicketsAsync(created.Id, classId, 3, "carol", expireInSeconds: 30)).ShouldSucceed();
        var cancelled = (await _inventory.HoldTicketsAsync(created.Id, classId, 3, "carol")).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "carol")).ShouldFailWith(ErrorCodes.PurchaseLimitExceeded);

        _inventory.Time.Advance(TimeSpan.FromSeconds(31));
        (await _inventory.Holds.CancelAsync(cancelled.Id, null, CancellationToken.None)).ShouldSucceed();

        (await _inventory.HoldTicketsAsync(created.Id, classId, 6, "carol")).ShouldSucceed();
        Assert.NotEqual(lapsing.Id, cancelled.Id);
    }

    [Fact]
    public async Task RefuseARequestLargerThanTheLimitWithoutTouchingTheDatabase()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(50));

        var error = (await _inventory.HoldTicketsAsync(created.Id, created.TicketClasses[0].Id, 7, "dave")).ShouldFailWith(ErrorCodes.PurchaseLimitExceeded);

        Assert.Equal(0, error.Extensions!["already"]);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE customer_ref = 'dave'"));
    }
}

/// <summary>Claims grouped by the batcher, as the API runs them.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class BatchedPurchaseLimitShould(PostgresServer postgres) : PurchaseLimitShould(postgres, batching: true);

/// <summary>Each claim in its own transaction, as the worker runs them.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class UnbatchedPurchaseLimitShould(PostgresServer postgres) : PurchaseLimitShould(postgres, batching: false);
