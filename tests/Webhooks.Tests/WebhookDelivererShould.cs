using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Webhooks.Model;
using TicketAspire.Webhooks.Services;
using TicketAspire.Webhooks.Tests.Infrastructure;

namespace TicketAspire.Webhooks.Tests;

/// <summary>The deliverer against a real receiver (Kestrel on loopback) and a real Postgres; time is faked to run the schedule.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookDelivererShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly WebhookMetrics Metrics = new();
    // a little in the past, so the rotation test's attempts stay within the verifier's five minutes of the real clock
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));
    private readonly HttpClient _http = WebhookHttpClient.Create(new WebhookOptions(), development: true);
    private Receiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
    }

    private static WebhookOptions Options(params double[] scheduleSeconds) => new()
    {
        RetrySchedule = [.. scheduleSeconds.Select(TimeSpan.FromSeconds)],
        Jitter = 0,
        LeaseTimeout = TimeSpan.FromSeconds(60),
        BatchSize = 10,
    };

    private WebhookDeliverer Deliverer(NpgsqlDataSource db, WebhookOptions options) =>
        new(db, _http, options, development: true, _time, Metrics, "test", NullLogger.Instance);

    private async Task<(WebhookEndpointWithSecret Endpoint, string MessageId)> OneMessageAsync(NpgsqlDataSource db, WebhookOptions options, string topic = "hold.created")
    {
        var endpoint = (await new WebhookEndpointStore(db, _time, options).CreateAsync(_receiver.Url, "test", [], default))!;
        await db.OutboxAsync(topic, """{"hold_id":"6a0c3f2e-6d51-4f3e-a7a5-0d9a3c8b1e11","seat_ids":["s1"]}""", _time.GetUtcNow());
        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);
        return (endpoint, await db.ScalarAsync<string>("SELECT id FROM webhook_messages"));
    }

    [Fact]
    public async Task DeliverASignedMessageTheIndependentVerifierAccepts()
    {
        await using var db = await postgres.CreateAsync(nameof(DeliverASignedMessageTheIndependentVerifierAccepts));
        var options = Options(1);
        var (endpoint, messageId) = await OneMessageAsync(db, options);

        Assert.Equal(1, await Deliverer(db, options).DeliverDueAsync(default));

        var received = Assert.Single(_receiver.Requests);
        Assert.Equal(messageId, received.Id);
        IndependentVerifier.Verify(endpoint.Secret, received.Body, received.Headers);
        Assert.StartsWith("application/json", received.Headers.ContentType.ToString(), StringComparison.Ordinal);
        using var body = System.Text.Json.JsonDocument.Parse(received.Body);
        Assert.Equal("hold.created", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("s1", body.RootElement.GetProperty("data").GetProperty("seat_ids")[0].GetString());
        Assert.True(DateTimeOffset.TryParse(body.RootElement.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("delivered", await db.ScalarAsync<string>("SELECT status FROM webhook_deliveries"));
        Assert.Equal(0, await Deliverer(db, options).DeliverDueAsync(default));
    }

    [Fact]
    public async Task RetryAReceiverThatFailsTheFirstThreeTimesUntilItAccepts()
    {
        await using var db = await postgres.CreateAsync(nameof(RetryAReceiverThatFailsTheFirstThreeTimesUntilItAccepts));
        _receiver.Answer = n => n <= 3 ? 500 : 204;
        var options = Options(1, 1, 2);
        var (endpoint, messageId) = await OneMessageAsync(db, options);
        var deliverer = Deliverer(db, options);

        Assert.Equal(1, await deliverer.DeliverDueAsync(default));
        Assert.Equal(0, await deliverer.DeliverDueAsync(default));      // not due before its wait
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(1, await deliverer.DeliverDueAsync(default));
        }

        Assert.Equal(4, _receiver.Requests.Count);
        Assert.All(_receiver.Requests, r => Assert.Equal(messageId, r.Id));
        Assert.All(_receiver.Requests, r => IndependentVerifier.Verify(endpoint.Secret, r.Body, r.Headers));
        Assert.Single(_receiver.Requests.Select(r => r.Body).Distinct());
        Assert.Equal("delivered 4 204", await db.ScalarAsync<string>("SELECT status || ' ' || attempts || ' ' || last_status FROM webhook_deliveries"));
        Assert.Equal("500,500,500,204", await db.ScalarAsync<string>("SELECT string_agg(status_code::text, ',' ORDER BY id) FROM webhook_attempts"));
    }

    [Fact]
    public async Task DisableAnEndpointThatAnswers410AndItsPendingDeliveries()
    {
        await using var db = await postgres.CreateAsync(nameof(DisableAnEndpointThatAnswers410AndItsPendingDeliveries));
        _receiver.Answer = _ => 410;
        var options = Options(1);
        options.BatchSize = 1;
        var (endpoint, _) = await OneMessageAsync(db, options);
        await db.OutboxAsync("hold.cancelled", "{}", _time.GetUtcNow());
        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);

        await Deliverer(db, options).DeliverDueAsync(default);

        Assert.Single(_receiver.Requests);
        var stored = await new WebhookEndpointStore(db, _time, options).GetAsync(endpoint.Id, default);
        Assert.False(stored!.Enabled);
        Assert.Contains("410", stored.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE status = 'disabled'"));
        await db.OutboxAsync("hold.expired", "{}", _time.GetUtcNow());
        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries"));   // nothing new for a disabled endpoint
    }

    [Fact]
    public async Task GiveUpAfterTheDefaultScheduleOfMoreThanThreeDaysAndDeliverOnReplay()
    {
        await using var db = await postgres.CreateAsync(nameof(GiveUpAfterTheDefaultScheduleOfMoreThanThreeDaysAndDeliverOnReplay));
        _receiver.Answer = _ => 503;
        var options = new WebhookOptions();
        Assert.True(options.EffectiveRetrySchedule.Aggregate(TimeSpan.Zero, (a, b) => a + b) > TimeSpan.FromDays(3));
        var (endpoint, messageId) = await OneMessageAsync(db, options);
        var store = new WebhookEndpointStore(db, _time, options);
        var deliverer = Deliverer(db, options);
        var start = _time.GetUtcNow();

        while (await db.ScalarAsync<string>("SELECT status FROM webhook_deliveries") == "pending")
        {
            await deliverer.DeliverDueAsync(default);
            _time.Advance(TimeSpan.FromMinutes(30));
        }

        Assert.Equal("dead", await db.ScalarAsync<string>("SELECT status FROM webhook_deliveries"));
        Assert.Equal(10, _receiver.Requests.Count);
        Assert.True(_time.GetUtcNow() - start > TimeSpan.FromDays(3) * 0.9, $"dead after {_time.GetUtcNow() - start}");
        var dead = Assert.Single((await store.DeliveriesAsync(endpoint.Id, DeliveryStatus.Dead, 1, 20, default)).Items);

        _receiver.Answer = _ => 200;
        Assert.True(await store.ReplayAsync(dead.Id, default));
        Assert.Equal(1, await deliverer.DeliverDueAsync(default));

        Assert.Equal(11, _receiver.Requests.Count);
        Assert.Equal(messageId, _receiver.Requests.Last().Id);
        Assert.Equal("delivered 1", await db.ScalarAsync<string>("SELECT status || ' ' || attempts FROM webhook_deliveries"));
        Assert.Null(await store.ReplayAsync(Guid.NewGuid(), default));
    }

    [Fact]
    public async Task ResendWithTheSameIdWhenTheSenderDiesBeforeRecordingTheOutcome()
    {
        await using var db = await postgres.CreateAsync(nameof(ResendWithTheSameIdWhenTheSenderDiesBeforeRecordingTheOutcome));
        var options = Options(1);
        var (_, messageId) = await OneMessageAsync(db, options);
        _receiver.Delay = TimeSpan.FromSeconds(5);
        using (var killed = new CancellationTokenSource())
        {
            // the sender dies once its request reached the receiver, before it hears the answer
            var sending = Deliverer(db, options).DeliverDueAsync(killed.Token);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (_receiver.Requests.IsEmpty)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the delivery never reached the receiver");
                await Task.Delay(20);
            }

            await killed.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        }

        _receiver.Delay = TimeSpan.Zero;
        Assert.Equal("pending 0", await db.ScalarAsync<string>("SELECT status || ' ' || attempts FROM webhook_deliveries"));
        Assert.Equal(0, await Deliverer(db, options).DeliverDueAsync(default));       // leased to the dead sender

        _time.Advance(options.LeaseTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Deliverer(db, options).DeliverDueAsync(default));

        Assert.Equal(2, _receiver.Requests.Count);
        Assert.All(_receiver.Requests, r => Assert.Equal(messageId, r.Id));
        Assert.Equal("delivered", await db.ScalarAsync<string>("SELECT status FROM webhook_deliveries"));
    }

    [Fact]
    public async Task SignWithBothSecretsDuringARotationsOverlapAndOnlyTheNewOneAfter()
    {
        await using var db = await postgres.CreateAsync(nameof(SignWithBothSecretsDuringARotationsOverlapAndOnlyTheNewOneAfter));
        var options = Options(1);
        options.SecretOverlap = TimeSpan.FromMinutes(2);
        var store = new WebhookEndpointStore(db, _time, options);
        var (endpoint, _) = await OneMessageAsync(db, options);
        var rotated = await store.RotateSecretAsync(endpoint.Id, default);
        Assert.Equal(_time.GetUtcNow() + options.SecretOverlap, rotated!.PreviousExpiresAt);

        await Deliverer(db, options).DeliverDueAsync(default);
        var during = Assert.Single(_receiver.Requests);
        Assert.Equal(2, during.Signature.Split(' ').Length);
        IndependentVerifier.Verify(endpoint.Secret, during.Body, during.Headers);
        IndependentVerifier.Verify(rotated.Secret, during.Body, during.Headers);

        _time.Advance(TimeSpan.FromMinutes(3));
        await db.OutboxAsync("hold.expired", "{}", _time.GetUtcNow());
        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);
        await Deliverer(db, options).DeliverDueAsync(default);

        var after = _receiver.Requests.Last();
        Assert.Single(after.Signature.Split(' '));
        IndependentVerifier.Verify(rotated.Secret, after.Body, after.Headers);
        Assert.ThrowsAny<Exception>(() => IndependentVerifier.Verify(endpoint.Secret, after.Body, after.Headers));
        Assert.Null(await store.RotateSecretAsync(Guid.NewGuid(), default));
    }

    [Fact]
    public async Task RefuseToSendToALoopbackReceiverOutsideADevelopmentCell()
    {
        await using var db = await postgres.CreateAsync(nameof(RefuseToSendToALoopbackReceiverOutsideADevelopmentCell));
        var options = Options(1, 1);
        await OneMessageAsync(db, options);
        using var strict = WebhookHttpClient.Create(options, development: false);

        await new WebhookDeliverer(db, strict, options, development: false, _time, Metrics, "test", NullLogger.Instance).DeliverDueAsync(default);

        Assert.Empty(_receiver.Requests);
        Assert.Contains("https", await db.ScalarAsync<string>("SELECT last_error FROM webhook_deliveries"), StringComparison.Ordinal);
    }
}
