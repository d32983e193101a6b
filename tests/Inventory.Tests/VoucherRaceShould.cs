using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Inventory.Vouchers;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Five hundred buyers race for a voucher of a hundred uses, each for a unit that is free: the redemption is decided in
/// the claim itself (the voucher's row lock, then its uses counted in the claim statement), so exactly a hundred holds
/// redeem it, the rest hold nothing, and no seat is held without its redemption. Run with the batcher (as the API) and
/// without (each claim alone).
/// </summary>
public abstract class VoucherRaceShould(PostgresServer postgres, bool batching) : IAsyncLifetime
{
    private const int Buyers = 500;
    private const int Uses = 100;
    private InventoryHarness _inventory = null!;
    private VoucherService _vouchers = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(VoucherRaceShould) + (batching ? "_batched" : "_alone"), maxPoolSize: 100, batching: batching);
        _vouchers = new VoucherService(_inventory.Db, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task RedeemAHundredUseVoucherExactlyAHundredTimesWhenFiveHundredGeneralAdmissionBuyersRace()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(Buyers * 2));
        var classId = created.TicketClasses[0].Id;
        await CreateVoucherAsync(created.Id, "RACE100");

        var results = await Task.WhenAll(Enumerable.Range(0, Buyers).Select(i => Task.Run(() => _inventory.Holds.CreateAsync(
            new CreateHoldCommand(created.Id, $"ga-buyer-{i}", null, [new TicketRequest(classId, 1)], null, VoucherCode: "race100"), CancellationToken.None))));

        await AssertExactlyAHundredAsync(created.Id, results, "RACE100");
    }

    [Fact]
    public async Task RedeemAHundredUseVoucherExactlyAHundredTimesWhenFiveHundredReservedBuyersRace()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(Buyers));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToArray();
        await CreateVoucherAsync(created.Id, "SEATS100");

        var results = await Task.WhenAll(Enumerable.Range(0, Buyers).Select(i => Task.Run(() => _inventory.Holds.CreateAsync(
            new CreateHoldCommand(created.Id, $"seat-buyer-{i}", [seats[i]], null, null, VoucherCode: "SEATS100"), CancellationToken.None))));

        await AssertExactlyAHundredAsync(created.Id, results, "SEATS100");
    }

    private async Task CreateVoucherAsync(Guid eventId, string code) =>
        (await _vouchers.CreateAsync(eventId, new CreateVoucherCommand(code, VoucherKinds.Percentage, 20, null, null, null, null, Uses, null), CancellationToken.None))
            .ShouldSucceed();

    private async Task AssertExactlyAHundredAsync(Guid eventId, Result<HoldView>[] results, string code)
    {
        var won = results.Where(r => r.IsSuccess).Select(r => r.Value!).ToList();
        Assert.Equal(Uses, won.Count);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.VoucherExhausted, r.Error!.Code));
        Assert.All(won, h =>
        {
            var face = h.Seats.Single().BasePrice!.Value.MinorUnits;
            Assert.Equal((code, face * 20 / 100, face - (face * 20 / 100)), (h.VoucherCode, h.Discount!.Value.MinorUnits, h.Total.MinorUnits));
        });
        // the database agrees: a hundred redemptions, each of a live hold with its one held unit; nothing else held
        Assert.Equal(Uses, await _inventory.ScalarAsync<long>("SELECT count(*) FROM voucher_redemptions"));
        Assert.Equal(Uses, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE status = 0 AND event_id = $1", eventId));
        Assert.Equal(Uses, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE status = 1 AND event_id = $1", eventId));
        Assert.Equal(0, await _inventory.ScalarAsync<long>(
            "SELECT count(*) FROM holds h WHERE h.event_id = $1 AND NOT EXISTS (SELECT 1 FROM voucher_redemptions r WHERE r.hold_id = h.id)", eventId));
        var voucher = (await _vouchers.ListAsync(eventId, CancellationToken.None)).ShouldSucceed().Vouchers.Single();
        Assert.Equal((100L, 0L), (voucher.Uses, voucher.Redeemed));

        // a released hold gives its use back: the next buyer redeems it, and the one after is refused again
        (await _inventory.Holds.CancelAsync(won[0].Id, null, CancellationToken.None)).ShouldSucceed();
        var again = await _inventory.Holds.CreateAsync(await AnotherAsync(eventId, won[0].Seats[0], "late-buyer-1", code), CancellationToken.None);
        Assert.Equal(code, again.ShouldSucceed().VoucherCode);
        (await _inventory.Holds.CreateAsync(await AnotherAsync(eventId, won[0].Seats[0], "late-buyer-2", code), CancellationToken.None))
            .ShouldFailWith(ErrorCodes.VoucherExhausted);
    }

    /// <summary>A hold of one free unit of the class of <paramref name="seat"/>, with the voucher.</summary>
    private async Task<CreateHoldCommand> AnotherAsync(Guid eventId, HeldSeat seat, string customer, string code)
    {
        if (seat.Section is null)
        {
            return new CreateHoldCommand(eventId, customer, null, [new TicketRequest(seat.ClassId, 1)], null, VoucherCode: code);
        }

        var free = await _inventory.ScalarAsync<Guid>("SELECT id FROM seats WHERE event_id = $1 AND status = 0 ORDER BY ordinal LIMIT 1", eventId);
        return new CreateHoldCommand(eventId, customer, [free], null, null, VoucherCode: code);
    }
}

/// <summary>Claims grouped by the batcher, as the API runs them.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class BatchedVoucherRaceShould(PostgresServer postgres) : VoucherRaceShould(postgres, batching: true);

/// <summary>Each claim in its own transaction.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class UnbatchedVoucherRaceShould(PostgresServer postgres) : VoucherRaceShould(postgres, batching: false);
