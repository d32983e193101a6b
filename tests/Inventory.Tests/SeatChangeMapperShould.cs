using TicketAspire.Inventory.Live;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tests;

public sealed class SeatChangeMapperShould
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid();

    private static LiveUpdate? Map(string topic, string payload, IReadOnlyList<Guid>? lookedUp = null) =>
        SeatChangeMapper.Map(new OutboxRow(new StreamCursor(7, 42), topic, payload, lookedUp));

    [Theory]
    [InlineData("hold.created", "seat_ids", SeatStatus.Held)]
    [InlineData("hold.cancelled", "seat_ids", SeatStatus.Available)]
    [InlineData("hold.expired", "released_seat_ids", SeatStatus.Available)]
    [InlineData("order.confirmed", "seat_ids", SeatStatus.Sold)]
    public void MapSeatsNamedInThePayload(string topic, string field, SeatStatus status)
    {
        var update = Map(topic, $$"""{"hold_id":"{{Guid.NewGuid()}}","{{field}}":["{{A}}","{{B}}"]}""");

        Assert.NotNull(update);
        Assert.Equal(42, update.Id);
        Assert.Equal(topic, update.Topic);
        Assert.Equal([new SeatChange(A, status), new SeatChange(B, status)], update.Seats);
        Assert.False(update.EventCancelled);
    }

    [Fact]
    public void MapAnExpiryThatReleasedNothingToNothing() =>
        Assert.Null(Map("hold.expired", """{"released_seat_ids":[]}"""));

    [Fact]
    public void MapAReleasingPaymentFailureToTheHoldsSeatsAvailable()
    {
        Assert.Equal([new SeatChange(A, SeatStatus.Available)], Map("payment.failed", """{"released":true}""", [A])!.Seats);
        Assert.Null(Map("payment.failed", """{"released":false}""", [A]));
    }

    [Theory]
    [InlineData("order.refunded", "released", SeatStatus.Available)]
    [InlineData("order.refunded", "voided", SeatStatus.Void)]
    [InlineData("payment.chargeback", "released", SeatStatus.Available)]
    [InlineData("payment.chargeback", "voided", SeatStatus.Void)]
    public void MapAnOrdersSeatsBySeatDisposition(string topic, string disposition, SeatStatus status) =>
        Assert.Equal([new SeatChange(A, status), new SeatChange(B, status)],
            Map(topic, $$"""{"order_id":"{{Guid.NewGuid()}}","seat_disposition":"{{disposition}}"}""", [A, B])!.Seats);

    [Fact]
    public void MapACancelledEventToTheLastUpdate()
    {
        var update = Map("event.cancelled", """{"reason":"storm","refunds_requested":3}""");

        Assert.True(update!.EventCancelled);
        Assert.Empty(update.Seats);
    }

    [Theory]
    [InlineData("event.created")]
    [InlineData("event.sold_out")]
    [InlineData("payment.fraud_flagged")]
    [InlineData("payout.scheduled")]
    public void IgnoreTopicsThatChangeNoSeat(string topic) =>
        Assert.Null(Map(topic, $$"""{"seat_ids":["{{A}}"]}"""));

    [Fact]
    public void OrderPositionsByTransactionThenRow()
    {
        Assert.True(new StreamCursor(2, 1) > new StreamCursor(1, 99));
        Assert.True(new StreamCursor(2, 5) > new StreamCursor(2, 4));
        Assert.Equal(new StreamCursor(3, 1), StreamCursor.Max(new StreamCursor(3, 1), new StreamCursor(2, 9)));
        Assert.True(StreamCursor.Start < new StreamCursor(1, 1));
    }
}
