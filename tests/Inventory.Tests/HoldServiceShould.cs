using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class HoldServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(HoldServiceShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task HoldRequestedSeatsAtTheirPricesUntilTheDefaultExpiry()
    {
        var (eventId, seats) = await ReservedEventAsync(5);

        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[1], seats[3]], "alice")).ShouldSucceed();

        Assert.Equal((HoldStatus.Active, "alice", eventId), (hold.Status, hold.CustomerRef, hold.EventId));
        Assert.Equal(_inventory.Time.GetUtcNow().AddSeconds(_inventory.Options.DefaultExpireSeconds), hold.ExpiresAt);
        Assert.Equal(new Money(10_000, "EUR"), hold.Total);
        Assert.Equal(["Floor/A/2", "Floor/A/4"], hold.Seats.Select(s => $"{s.Section}/{s.Row}/{s.Number}").Order());
        var map = await _inventory.SeatMapAsync(eventId);
        Assert.Equal((3, 2), (map.Available, map.Held));
    }

    [Fact]
    public async Task RejectWholeHoldWhenOneSeatIsAlreadyHeld()
    {
        var (eventId, seats) = await ReservedEventAsync(5);
        (await _inventory.HoldSeatsAsync(eventId, [seats[2]], "alice")).ShouldSucceed();

        var result = await _inventory.HoldSeatsAsync(eventId, [seats[1], seats[2], seats[3]], "bob");

        var error = result.ShouldFailWith(ErrorCodes.SeatUnavailable);
        Assert.Equal([seats[2]], error.UnavailableSeatIds!);
        var map = await _inventory.SeatMapAsync(eventId);
        Assert.Equal(SeatStatus.Available, map.Seats.Single(s => s.Id == seats[1]).Status);
        Assert.Equal(SeatStatus.Available, map.Seats.Single(s => s.Id == seats[3]).Status);
        Assert.Equal(1, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds"));
    }

    [Fact]
    public async Task RejectHoldWhenSeatAlreadySold()
    {
        var (eventId, seats) = await ReservedEventAsync(3);
        var sold = (await _inventory.HoldSeatsAsync(eventId, [seats[0]], "alice")).ShouldSucceed();
        (await _inventory.ConfirmAsync(sold.Id)).ShouldSucceed();

        var error = (await _inventory.HoldSeatsAsync(eventId, [seats[0], seats[1]], "bob")).ShouldFailWith(ErrorCodes.SeatUnavailable);

        Assert.Equal([seats[0]], error.UnavailableSeatIds!);
    }

    [Fact]
    public async Task HoldGeneralAdmissionTicketsByClassAndQuantity()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10));
        var classId = created.TicketClasses[0].Id;

        var hold = (await _inventory.HoldTicketsAsync(created.Id, classId, 3)).ShouldSucceed();

        Assert.Equal(3, hold.Seats.Count);
        Assert.All(hold.Seats, s => Assert.Equal((classId, (string?)null, new Money(3000, "EUR")), (s.ClassId, s.Section, s.Price)));
        Assert.Equal(new Money(9000, "EUR"), hold.Total);
        var detail = (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((7, 3), (detail.TicketClasses[0].Available, detail.TicketClasses[0].Held));
    }

    [Fact]
    public async Task ReportSoldOutWhenQuantityExceedsWhatRemains()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5));
        var classId = created.TicketClasses[0].Id;
        (await _inventory.HoldTicketsAsync(created.Id, classId, 3, "alice")).ShouldSucceed();

        (await _inventory.HoldTicketsAsync(created.Id, classId, 3, "bob")).ShouldFailWith(ErrorCodes.SoldOut);
        var rest = (await _inventory.HoldTicketsAsync(created.Id, classId, 2, "bob")).ShouldSucceed();

        Assert.Equal(2, rest.Seats.Count);
        Assert.Equal(2, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds"));
    }

    [Fact]
    public async Task TakeGeneralAdmissionTicketsAnotherClaimReleasesWhileThisOneRetries()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(4));
        var classId = created.TicketClasses[0].Id;

        // another claim has locked two of the four tickets and will end without keeping them
        await using var other = await _inventory.Db.OpenConnectionAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var lockRows = new Npgsql.NpgsqlCommand(
            "SELECT id FROM seats WHERE class_id = $1 ORDER BY ordinal LIMIT 2 FOR UPDATE", other, tx) { Parameters = { new() { Value = classId } } })
        {
            await lockRows.ExecuteNonQueryAsync();
        }

        var claim = _inventory.HoldTicketsAsync(created.Id, classId, 3, "carol");
        await Task.Delay(5);
        await tx.RollbackAsync();
        var result = await claim;

        // either the first attempt came before the rollback and a retry found the rows free, or the claim ran after it
        Assert.Equal(3, result.ShouldSucceed().Seats.Count);
    }

    [Fact]
    public async Task AnswerSoldOutInBoundedTimeWhileRowsStayLockedByOthers()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(3));
        var classId = created.TicketClasses[0].Id;
        await using var other = await _inventory.Db.OpenConnectionAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var lockRows = new Npgsql.NpgsqlCommand(
            "SELECT id FROM seats WHERE class_id = $1 ORDER BY ordinal LIMIT 1 FOR UPDATE", other, tx) { Parameters = { new() { Value = classId } } })
        {
            await lockRows.ExecuteNonQueryAsync();
        }

        var result = await _inventory.HoldTicketsAsync(created.Id, classId, 3, "dave").WaitAsync(TimeSpan.FromSeconds(10));

        result.ShouldFailWith(ErrorCodes.SoldOut);
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task LetOthersHoldSeatsOfAnExpiredHoldWithoutASweep()
    {
        var (eventId, seats) = await ReservedEventAsync(2);
        var first = (await _inventory.HoldSeatsAsync(eventId, [seats[0]], "alice", expireInSeconds: 30)).ShouldSucceed();
        (await _inventory.HoldSeatsAsync(eventId, [seats[0]], "bob")).ShouldFailWith(ErrorCodes.SeatUnavailable);

        _inventory.Time.Advance(TimeSpan.FromSeconds(30));
        var second = (await _inventory.HoldSeatsAsync(eventId, [seats[0]], "bob")).ShouldSucceed();

        Assert.Equal([seats[0]], second.Seats.Select(s => s.SeatId));
        Assert.Equal(HoldStatus.Expired, (await _inventory.Holds.GetAsync(first.Id, null, CancellationToken.None)).ShouldSucceed().Status);
        (await _inventory.ConfirmAsync(first.Id)).ShouldFailWith(ErrorCodes.HoldExpired);
        (await _inventory.ConfirmAsync(second.Id)).ShouldSucceed();
    }

    [Fact]
    public async Task ConfirmHoldIntoAnOrderWithOneTicketPerSeat()
    {
        var (eventId, seats) = await ReservedEventAsync(4);
        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[0], seats[1], seats[2]], "alice")).ShouldSucceed();

        var order = (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();

        Assert.Equal((hold.Id, eventId, "alice", "confirmed", InventoryHarness.IntentOf(hold.Id)), (order.HoldId, order.EventId, order.CustomerRef, order.Status, order.PaymentReference));
        Assert.Equal(new Money(15_000, "EUR"), order.Total);
        Assert.Equal(seats.Take(3).Order(), order.Tickets.Select(t => t.SeatId).Order());
        Assert.All(order.Tickets, t => Assert.Equal(("valid", 29, new Money(5000, "EUR")), (t.Status, t.Code.Length, t.Price)));
        Assert.All(order.Tickets, t => Assert.StartsWith("TA-", t.Code, StringComparison.Ordinal));
        Assert.Equal(3, order.Tickets.Select(t => t.Code).Distinct().Count());
        var confirmed = (await _inventory.Holds.GetAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((HoldStatus.Confirmed, order.Id), (confirmed.Status, confirmed.OrderId));
        Assert.Equal((1, 0, 3), Counts(await _inventory.SeatMapAsync(eventId)));
    }

    [Fact]
    public async Task SellAPricedHoldOnlyAgainstAPayment()
    {
        var (eventId, seats) = await ReservedEventAsync(1);
        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[0]])).ShouldSucceed();

        (await _inventory.Sales.SellFreeAsync(hold.Id, CancellationToken.None)).ShouldFailWith(ErrorCodes.PaymentRequired);

        Assert.Equal(0, await _inventory.ScalarAsync<long>("SELECT count(*) FROM orders"));
        Assert.Equal(HoldStatus.Active, (await _inventory.Holds.GetAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed().Status);
        (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();
    }

    [Fact]
    public async Task RefuseToConfirmAnExpiredHold()
    {
        var (eventId, seats) = await ReservedEventAsync(2);
        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[0]], expireInSeconds: 60)).ShouldSucceed();

        _inventory.Time.Advance(TimeSpan.FromSeconds(61));
        var result = await _inventory.ConfirmAsync(hold.Id);

        result.ShouldFailWith(ErrorCodes.HoldExpired);
        Assert.Equal(0, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets"));
        Assert.Equal((2, 0, 0), Counts(await _inventory.SeatMapAsync(eventId)));
    }

    [Fact]
    public async Task ReturnTheSameOrderWhenConfirmedTwice()
    {
        var (eventId, seats) = await ReservedEventAsync(2);
        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[0], seats[1]])).ShouldSucceed();
        var first = (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();

        var second = (await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed();

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Tickets.Select(t => t.Code).Order(), second.Tickets.Select(t => t.Code).Order());
        Assert.Equal(2, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task ReleaseSeatsWhenCancelled()
    {
        var (eventId, seats) = await ReservedEventAsync(2);
        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[0], seats[1]], "alice")).ShouldSucceed();

        var cancelled = (await _inventory.Holds.CancelAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();

        Assert.Equal(HoldStatus.Cancelled, cancelled.Status);
        Assert.Equal((2, 0, 0), Counts(await _inventory.SeatMapAsync(eventId)));
        (await _inventory.HoldSeatsAsync(eventId, [seats[0], seats[1]], "bob")).ShouldSucceed();
    }

    [Fact]
    public async Task RefuseToConfirmACancelledHold()
    {
        var (eventId, seats) = await ReservedEventAsync(1);
        var hold = (await _inventory.HoldSeatsAsync(eventId, [seats[0]])).ShouldSucceed();
        (await _inventory.Holds.CancelAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();

        (await _inventory.ConfirmAsync(hold.Id)).ShouldFailWith(ErrorCodes.HoldNotActive);
        Assert.Equal(0, await _inventory.ScalarAsync<long>("SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task RejectSeatIdsThatAreNotSeatsOfTheEvent()
    {
        var (eventId, seats) = await ReservedEventAsync(2);
        var (_, otherEventSeats) = await ReservedEventAsync(2);

        var unknown = await _inventory.HoldSeatsAsync(eventId, [seats[0], Guid.CreateVersion7()]);
        var foreign = await _inventory.HoldSeatsAsync(eventId, [seats[0], otherEventSeats[0]]);

        Assert.Contains("seat_ids", unknown.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
        Assert.Contains("seat_ids", foreign.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
        Assert.Equal((2, 0, 0), Counts(await _inventory.SeatMapAsync(eventId)));
    }

    [Fact]
    public async Task ReportAnUnknownEvent()
    {
        var result = await _inventory.HoldSeatsAsync(Guid.CreateVersion7(), [Guid.CreateVersion7()]);

        result.ShouldFailWith(ErrorCodes.EventNotFound);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public async Task RejectExpiryOutsideTheAllowedBounds(int seconds)
    {
        var (eventId, seats) = await ReservedEventAsync(1);

        var result = await _inventory.HoldSeatsAsync(eventId, [seats[0]], expireInSeconds: seconds);

        Assert.Contains("expire_in_seconds", result.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
        Assert.Equal(0, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds"));
    }

    [Fact]
    public async Task RejectSeatIdsForAGeneralAdmissionEvent()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(3));

        var result = await _inventory.HoldSeatsAsync(created.Id, [Guid.CreateVersion7()]);

        Assert.Contains("tickets", result.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
    }

    private async Task<(Guid EventId, Guid[] Seats)> ReservedEventAsync(int seats)
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(seats));
        return (created.Id, [.. (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id)]);
    }

    private static (int Available, int Held, int Sold) Counts(SeatMap map) => (map.Available, map.Held, map.Sold);
}
