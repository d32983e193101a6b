using Npgsql;
using TicketAspire.Inventory.Live;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class SeatFeedShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private SeatFeed _feed = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(SeatFeedShould));
        _feed = new SeatFeed(_inventory.Db);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task ReadAnEventsSeatChangesInOrderAfterAPosition()
    {
        var (eventId, seats) = await ReservedEventAsync(3);
        var head = await _feed.HeadAsync(eventId, CancellationToken.None);
        var first = (await _inventory.HoldSeatsAsync(eventId, [seats[0]])).ShouldSucceed();
        var second = (await _inventory.HoldSeatsAsync(eventId, [seats[1]])).ShouldSucceed();
        (await _inventory.Holds.CancelAsync(first.Id, null, CancellationToken.None)).ShouldSucceed();
        (await _inventory.ConfirmAsync(second.Id)).ShouldSucceed();

        var rows = await _feed.ReadAsync(eventId, head, SeatFeed.PageSize, CancellationToken.None);
        var updates = rows.Select(SeatChangeMapper.Map).OfType<LiveUpdate>().ToList();

        Assert.Equal(["hold.created", "hold.created", "hold.cancelled", "order.confirmed"], updates.Select(u => u.Topic));
        Assert.Equal([(seats[0], SeatStatus.Held), (seats[1], SeatStatus.Held), (seats[0], SeatStatus.Available), (seats[1], SeatStatus.Sold)],
            updates.Select(u => (u.Seats.Single().SeatId, u.Seats.Single().Status)));
        var resumeAt = await _feed.CursorOfAsync(eventId, updates[1].Id, CancellationToken.None);
        Assert.Equal(updates.Skip(2).Select(u => u.Id), (await _feed.ReadAsync(eventId, resumeAt!.Value, 500, CancellationToken.None)).Select(r => r.Cursor.Id));
        Assert.Equal(rows[^1].Cursor, await _feed.HeadAsync(eventId, CancellationToken.None));
        Assert.Null(await _feed.CursorOfAsync(eventId, long.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task NeverHandOutAPositionThatASlowerTransactionCouldStillFillIn()
    {
        var (eventId, _) = await ReservedEventAsync(1);
        var head = await _feed.HeadAsync(eventId, CancellationToken.None);

        // the slow transaction takes the smaller id, the fast one commits first with a larger id
        await using var slowConn = await _inventory.Db.OpenConnectionAsync();
        await using var slow = await slowConn.BeginTransactionAsync();
        var slowId = await InsertAsync(slowConn, slow, eventId);
        await using (var fastConn = await _inventory.Db.OpenConnectionAsync())
        {
            await InsertAsync(fastConn, null, eventId);
        }

        // a reader that only remembered "the last id" would pass the fast row and never see the slow one
        Assert.Empty(await _feed.ReadAsync(eventId, head, 500, CancellationToken.None));
        await slow.CommitAsync();

        var rows = await _feed.ReadAsync(eventId, head, 500, CancellationToken.None);
        Assert.Equal(2, rows.Count);
        Assert.Equal(slowId, rows[0].Cursor.Id);
        Assert.True(rows[1].Cursor > rows[0].Cursor);
    }

    [Fact]
    public async Task KnowOnlyTheEventsOwnRowsAndEvents()
    {
        var (eventId, seats) = await ReservedEventAsync(1);
        var (otherId, _) = await ReservedEventAsync(1);
        (await _inventory.HoldSeatsAsync(eventId, [seats[0]])).ShouldSucceed();
        var head = await _feed.HeadAsync(eventId, CancellationToken.None);

        Assert.Null(await _feed.CursorOfAsync(otherId, head.Id, CancellationToken.None));
        Assert.Equal((short)0, await _feed.EventStatusAsync(eventId, CancellationToken.None));
        Assert.Null(await _feed.EventStatusAsync(Guid.NewGuid(), CancellationToken.None));
    }

    private static async Task<long> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid eventId)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            VALUES ('hold.created', gen_random_uuid(), $1, '{"seat_ids":[]}', now()) RETURNING id
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = eventId });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<(Guid EventId, Guid[] Seats)> ReservedEventAsync(int seats)
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(seats));
        return (created.Id, [.. (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id)]);
    }
}
