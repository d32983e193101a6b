using System.Diagnostics;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// After a general-admission class came up short, or reserved seats were found taken, the next second's holds asking for
/// more or for those seats are refused from memory, without Postgres; a hold cancelled in the process, or the second
/// passing, makes them claimable again.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class ShortfallMemoShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(ShortfallMemoShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task RefuseTheCrowdAfterASellOutWithoutTouchingTheSeats()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(3));
        var classId = created.TicketClasses[0].Id;
        (await _inventory.HoldTicketsAsync(created.Id, classId, 2, "a")).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(created.Id, classId, 2, "b")).ShouldFailWith(ErrorCodes.SoldOut);   // 1 left: remembered

        await using var locker = await _inventory.Db.OpenConnectionAsync();
        await using var tx = await LockSeatsAsync(locker);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            (await _inventory.HoldTicketsAsync(created.Id, classId, 2, $"late-{i}")).ShouldFailWith(ErrorCodes.SoldOut);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"20 refusals took {watch.Elapsed.TotalSeconds:F1} s");
        await tx.RollbackAsync();

        // one ticket is left and the memo knows it: a hold of 1 goes to Postgres and gets it
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "c")).ShouldSucceed();
    }

    [Fact]
    public async Task ForgetTheShortfallWhenAHoldIsCancelledHereOrASecondPasses()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(2));
        var classId = created.TicketClasses[0].Id;
        var first = (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "a")).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "b")).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "c")).ShouldFailWith(ErrorCodes.SoldOut);

        (await _inventory.Holds.CancelAsync(first.Id, null, CancellationToken.None)).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "c")).ShouldSucceed();

        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "d")).ShouldFailWith(ErrorCodes.SoldOut);
        // a release the memo cannot see (another process cancels): believed for at most a second
        await using (var release = _inventory.Db.CreateCommand("UPDATE seats SET status = 0, hold_id = NULL, hold_expires_at = NULL WHERE event_id = $1 AND hold_id = (SELECT id FROM holds WHERE customer_ref = 'c')"))
        {
            release.Parameters.Add(new() { Value = created.Id });
            Assert.Equal(1, await release.ExecuteNonQueryAsync());
        }

        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "d")).ShouldFailWith(ErrorCodes.SoldOut);
        _inventory.Time.Advance(ShortfallMemo.Lifetime + TimeSpan.FromMilliseconds(1));
        (await _inventory.HoldTicketsAsync(created.Id, classId, 1, "d")).ShouldSucceed();
    }

    [Fact]
    public async Task RefuseARacedReservedSeatWithoutTouchingTheSeats()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(4));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();
        (await _inventory.HoldSeatsAsync(created.Id, [seats[0]], "winner")).ShouldSucceed();
        var lost = (await _inventory.HoldSeatsAsync(created.Id, [seats[0], seats[1]], "loser")).ShouldFailWith(ErrorCodes.SeatUnavailable);
        Assert.Equal([seats[0]], lost.UnavailableSeatIds!);

        await using var locker = await _inventory.Db.OpenConnectionAsync();
        await using var tx = await LockSeatsAsync(locker);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var refused = (await _inventory.HoldSeatsAsync(created.Id, [seats[2], seats[0]], $"late-{i}")).ShouldFailWith(ErrorCodes.SeatUnavailable);
            Assert.Equal([seats[0]], refused.UnavailableSeatIds!);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"20 refusals took {watch.Elapsed.TotalSeconds:F1} s");
        await tx.RollbackAsync();

        // seats not known taken still go to Postgres
        (await _inventory.HoldSeatsAsync(created.Id, [seats[1]], "other")).ShouldSucceed();
    }

    [Fact]
    public async Task ForgetATakenSeatWhenItsHoldIsCancelledHereOrASecondPasses()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(2));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();
        var first = (await _inventory.HoldSeatsAsync(created.Id, [seats[0]], "a")).ShouldSucceed();
        (await _inventory.HoldSeatsAsync(created.Id, [seats[0]], "b")).ShouldFailWith(ErrorCodes.SeatUnavailable);
        (await _inventory.Holds.CancelAsync(first.Id, null, CancellationToken.None)).ShouldSucceed();
        var second = (await _inventory.HoldSeatsAsync(created.Id, [seats[0]], "b")).ShouldSucceed();

        (await _inventory.HoldSeatsAsync(created.Id, [seats[0]], "c")).ShouldFailWith(ErrorCodes.SeatUnavailable);
        // a release the memo cannot see (another process cancels): believed for at most a second
        await using (var release = _inventory.Db.CreateCommand("UPDATE seats SET status = 0, hold_id = NULL, hold_expires_at = NULL WHERE hold_id = $1"))
        {
            release.Parameters.Add(new() { Value = second.Id });
            Assert.Equal(1, await release.ExecuteNonQueryAsync());
        }

        (await _inventory.HoldSeatsAsync(created.Id, [seats[0]], "c")).ShouldFailWith(ErrorCodes.SeatUnavailable);
        _inventory.Time.Advance(ShortfallMemo.Lifetime + TimeSpan.FromMilliseconds(1));
        (await _inventory.HoldSeatsAsync(created.Id, [seats[0]], "c")).ShouldSucceed();
    }

    /// <summary>Locks the seats table until the transaction ends: any statement over it would wait, so answers that come
    /// back meanwhile came from memory.</summary>
    private static async Task<NpgsqlTransaction> LockSeatsAsync(NpgsqlConnection connection)
    {
        var tx = await connection.BeginTransactionAsync();
        await using var lockSeats = new NpgsqlCommand("LOCK TABLE seats IN ACCESS EXCLUSIVE MODE", connection, tx);
        await lockSeats.ExecuteNonQueryAsync();
        return tx;
    }
}
