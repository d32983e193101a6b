using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>Refunds against a real PSP (the cell's payment service in-process) and a real Postgres; time is faked.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class RefundServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private PaymentHarness _payments = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(RefundServiceShould));
        _payments = PaymentHarness.Start(_inventory);
    }

    public async Task DisposeAsync()
    {
        await _payments.DisposeAsync();
        await _inventory.DisposeAsync();
    }

    private async Task<(Guid EventId, Guid ClassId)> GaEventAsync(int quantity)
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(quantity));
        return (ev.Id, ev.TicketClasses[0].Id);
    }

    private Task<string> StatusAsync(Guid orderId) => _inventory.ScalarAsync<string>("SELECT status FROM refunds WHERE order_id = $1", orderId);

    [Fact]
    public async Task MarkARefundThePspRefusesFailedAndStillRefundTheOthers()
    {
        var (eventId, classId) = await GaEventAsync(2);
        var refused = await _payments.PaidOrderAsync(eventId, classId, "alice");
        var other = await _payments.PaidOrderAsync(eventId, classId, "bob");
        // refunded at the PSP behind the platform's back: the platform's refund is refused for good (400 charge_already_refunded)
        await _payments.RefundAtThePspAsync(await _payments.IntentOfAsync(refused.Id));
        var answer = await _payments.Refunds.RequestAsync(refused.Id, "cannot make it", "integrator:acme-backend", null, force: true, CancellationToken.None);
        await _payments.FaultAsync("create_refund", 1);      // the PSP is down when bob asks: his refund waits for the worker
        await _payments.Refunds.RequestAsync(other.Id, "cannot make it", "integrator:acme-backend", null, force: true, CancellationToken.None);

        _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        for (var pass = 0; pass < 3; pass++)
        {
            await _payments.Refunds.ProcessPendingAsync(1, CancellationToken.None);   // the worker, one refund per query
        }

        Assert.Equal("succeeded", await StatusAsync(other.Id));
        Assert.Equal("failed", await StatusAsync(refused.Id));
        var failed = Assert.Single(await _payments.OutboxAsync("refund.failed"));
        Assert.Equal(refused.Id, failed.GetProperty("order_id").GetGuid());
        Assert.Equal("charge_already_refunded", failed.GetProperty("failure_code").GetString());
        // the API's answer and the order view say so, with the PSP's code and words; the order stays paid
        Assert.Equal(("failed", "charge_already_refunded"), (answer.ShouldSucceed().Status, answer.Value!.FailureCode));
        var view = (await _inventory.Orders.GetAsync(refused.Id, CancellationToken.None)).ShouldSucceed();
        Assert.Equal("confirmed", view.Status);
        Assert.Equal(("failed", "charge_already_refunded", 1), (view.Refund!.Status, view.Refund.FailureCode, view.Refund.Attempts));
        Assert.Contains("charge_already_refunded", view.Refund.LastError, StringComparison.Ordinal);
        Assert.NotNull(view.Refund.FailedAt);
        Assert.Null(view.Refund.NextAttemptAt);
    }

    [Fact]
    public async Task FailALegacyRefundWhoseReasonThePspRefusesAndRefundItWhenAskedAgain()
    {
        var (eventId, classId) = await GaEventAsync(1);
        var order = await _payments.PaidOrderAsync(eventId, classId, "alice");
        // requested before reasons were checked against the PSP's limit: it was stuck, and the queue behind it
        await _inventory.ScalarAsync<int>("""
            INSERT INTO refunds (id, order_id, amount_minor, currency, reason, initiated_by, seat_disposition, status, created_at, next_attempt_at)
            SELECT $1, id, total_minor, currency, $2, 'integrator:acme-backend', 'released', 'requested', $3, $3 FROM orders WHERE id = $4 RETURNING 1
            """, Guid.CreateVersion7(), new string('x', 300), _inventory.Time.GetUtcNow(), order.Id);

        var pass = await _payments.Refunds.ProcessPendingAsync(10, CancellationToken.None);
        var again = await _payments.Refunds.RequestAsync(order.Id, "artist ill", "support:eu-support", null, force: true, CancellationToken.None);

        Assert.Equal(new RefundBatch(1, 0, 1, 0), pass);
        Assert.Equal("invalid_request", Assert.Single(await _payments.OutboxAsync("refund.failed")).GetProperty("failure_code").GetString());
        var done = again.ShouldSucceed();
        Assert.Equal(("succeeded", "artist ill", 0, null), (done.Status, done.Reason, done.Attempts, done.FailureCode));
        Assert.Equal("refunded", (await _inventory.Orders.GetAsync(order.Id, CancellationToken.None)).ShouldSucceed().Status);
        Assert.Equal(1, await _inventory.ScalarAsync<int>("SELECT resubmissions FROM refunds WHERE order_id = $1", order.Id));
    }

    [Fact]
    public async Task RetryARefundThePspDidNotAnswerWithBackoffNotBeforeItIsDue()
    {
        var (eventId, classId) = await GaEventAsync(1);
        var order = await _payments.PaidOrderAsync(eventId, classId, "alice");
        await _payments.FaultAsync("create_refund", 3);

        await _payments.Refunds.RequestAsync(order.Id, null, "integrator:acme-backend", null, force: true, CancellationToken.None);
        await _payments.Refunds.ProcessPendingAsync(10, CancellationToken.None);   // not due yet: not sent again

        Assert.Equal(1, await _inventory.ScalarAsync<int>("SELECT attempts FROM refunds WHERE order_id = $1", order.Id));
        var waiting = (await _inventory.Orders.GetAsync(order.Id, CancellationToken.None)).ShouldSucceed().Refund!;
        Assert.Equal(("requested", 1), (waiting.Status, waiting.Attempts));
        Assert.Equal(_inventory.Time.GetUtcNow() + TimeSpan.FromSeconds(5), waiting.NextAttemptAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal("The payment service is unavailable (simulated_fault).", waiting.LastError);
        // asking again while it waits does not send it before its time either
        await _payments.Refunds.RequestAsync(order.Id, null, "integrator:acme-backend", null, force: true, CancellationToken.None);
        Assert.Equal(1, await _inventory.ScalarAsync<int>("SELECT attempts FROM refunds WHERE order_id = $1", order.Id));
        foreach (var wait in new[] { 5, 10, 20 })
        {
            _inventory.Time.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(1));
            await _payments.Refunds.ProcessPendingAsync(10, CancellationToken.None);
            Assert.Equal("requested", await StatusAsync(order.Id));
            _inventory.Time.Advance(TimeSpan.FromMilliseconds(1));
            await _payments.Refunds.ProcessPendingAsync(10, CancellationToken.None);
        }

        Assert.Equal("succeeded", await StatusAsync(order.Id));
        Assert.Equal(3, await _inventory.ScalarAsync<int>("SELECT attempts FROM refunds WHERE order_id = $1", order.Id));   // the failed ones
    }

    [Fact]
    public async Task StopAPassAtTheFirstRefundThePspDoesNotAnswer()
    {
        var (eventId, classId) = await GaEventAsync(3);
        var orders = new List<Guid>();
        foreach (var who in new[] { "alice", "bob", "carol" })
        {
            orders.Add((await _payments.PaidOrderAsync(eventId, classId, who)).Id);
        }

        await _payments.FaultAsync("create_refund", 100);     // the PSP is down for a while
        foreach (var order in orders)
        {
            await _payments.Refunds.RequestAsync(order, null, "integrator:acme-backend", null, force: true, CancellationToken.None);
        }

        _inventory.Time.Advance(TimeSpan.FromMinutes(1));
        var pass = await _payments.Refunds.ProcessPendingAsync(10, CancellationToken.None);

        Assert.Equal(new RefundBatch(3, 0, 0, 1), pass);        // three due, one call to the PSP, the rest left for the next pass
        Assert.Equal(4L, await _inventory.ScalarAsync<long>("SELECT sum(attempts) FROM refunds"));
    }

    [Fact]
    public async Task RefuseAReasonLongerThanThePspAcceptsAndSendOneOfExactlyTheLimit()
    {
        var (eventId, classId) = await GaEventAsync(2);
        var first = await _payments.PaidOrderAsync(eventId, classId, "alice");
        var second = await _payments.PaidOrderAsync(eventId, classId, "bob");

        var tooLong = await _payments.Refunds.RequestAsync(first.Id, new string('x', 201), "integrator:acme-backend", null, force: true, CancellationToken.None);
        var cancel = await new EventCancellation(_inventory.Db, _inventory.Cache, _inventory.Time).CancelAsync(eventId, "integrator:acme-backend", new string('x', 201), CancellationToken.None);
        var exact = await _payments.Refunds.RequestAsync(second.Id, new string('x', 200), "integrator:acme-backend", null, force: true, CancellationToken.None);

        Assert.Contains("200", tooLong.ShouldFailWith(Model.ErrorCodes.Validation).FieldErrors!["reason"][0], StringComparison.Ordinal);
        Assert.Contains("200", cancel.ShouldFailWith(Model.ErrorCodes.Validation).FieldErrors!["reason"][0], StringComparison.Ordinal);
        Assert.Equal("succeeded", exact.ShouldSucceed().Status);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM refunds WHERE order_id = $1", first.Id));
    }
}
