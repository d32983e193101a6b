using Microsoft.Extensions.Time.Testing;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Webhooks.Services;
using TicketAspire.Webhooks.Tests.Infrastructure;

namespace TicketAspire.Webhooks.Tests;

[Collection(PostgresCollection.Name)]
public sealed class OutboxDispatcherShould(PostgresServer postgres)
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task FanOutOnlyToEnabledEndpointsSubscribedToTheTopic()
    {
        await using var db = await postgres.CreateAsync(nameof(FanOutOnlyToEnabledEndpointsSubscribedToTheTopic));
        var store = new WebhookEndpointStore(db, _time, new WebhookOptions());
        var all = (await store.CreateAsync("https://a.example.com/", null, [], default))!;
        var holds = (await store.CreateAsync("https://b.example.com/", null, ["hold.created", "hold.expired"], default))!;
        var orders = (await store.CreateAsync("https://c.example.com/", null, ["order.confirmed"], default))!;
        var off = (await store.CreateAsync("https://d.example.com/", null, [], default))!;
        await store.UpdateAsync(off.Id, null, null, null, enabled: false, default);
        var outboxId = await db.OutboxAsync("hold.created", """{"hold_id":"h1","seat_ids":[]}""", _time.GetUtcNow());

        var dispatched = await new OutboxDispatcher(db, _time).DispatchAsync(100, default);

        Assert.Equal(1, dispatched);
        var endpoints = await db.ScalarAsync<Guid[]>("""
            SELECT array_agg(d.endpoint_id ORDER BY d.endpoint_id) FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
            WHERE m.outbox_id = $1 AND d.status = 'pending'
            """, outboxId);
        Assert.Equal(new[] { all.Id, holds.Id }.Order(), endpoints.Order());
        Assert.DoesNotContain(orders.Id, endpoints);
        Assert.True(await db.ScalarAsync<bool>("SELECT processed_at IS NOT NULL FROM outbox WHERE id = $1", outboxId));
        Assert.StartsWith("msg_", await db.ScalarAsync<string>("SELECT id FROM webhook_messages WHERE outbox_id = $1", outboxId), StringComparison.Ordinal);
        Assert.Equal(0, await new OutboxDispatcher(db, _time).DispatchAsync(100, default));
    }

    [Fact]
    public async Task ProcessEveryRowExactlyOnceUnderTwoConcurrentDispatchers()
    {
        await using var db = await postgres.CreateAsync(nameof(ProcessEveryRowExactlyOnceUnderTwoConcurrentDispatchers));
        await new WebhookEndpointStore(db, _time, new WebhookOptions()).CreateAsync("https://a.example.com/", null, [], default);
        await db.ExecAsync("""
            INSERT INTO outbox (topic, aggregate_id, payload, created_at)
            SELECT 'event.created', gen_random_uuid(), jsonb_build_object('event_id', gen_random_uuid(), 'n', g), now() FROM generate_series(1, 600) g
            """);

        async Task<int> RunAsync()
        {
            var dispatcher = new OutboxDispatcher(db, _time);
            var total = 0;
            int n;
            while ((n = await dispatcher.DispatchAsync(25, default)) > 0)
            {
                total += n;
            }

            return total;
        }

        var counts = await Task.WhenAll(Task.Run(RunAsync), Task.Run(RunAsync));

        Assert.Equal(600, counts.Sum());
        Assert.True(counts.All(c => c > 0), $"both dispatchers took part: {string.Join(", ", counts)}");
        Assert.Equal(600L, await db.ScalarAsync<long>("SELECT count(DISTINCT outbox_id) FROM webhook_messages"));
        Assert.Equal(600L, await db.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE processed_at IS NULL"));
    }

    [Fact]
    public async Task QueueAnEmailOnlyForTopicsThatCallForOneAndHaveAnAddress()
    {
        await using var db = await postgres.CreateAsync(nameof(QueueAnEmailOnlyForTopicsThatCallForOneAndHaveAnAddress));
        var now = _time.GetUtcNow();
        var confirmed = await db.OutboxAsync("order.confirmed", $$"""{"order_id":"{{Guid.NewGuid()}}","customer_email":"ann@example.com"}""", now);
        var refunded = await db.OutboxAsync("order.refunded", $$"""{"order_id":"{{Guid.NewGuid()}}","customer_email":"bob@example.com","amount":1500}""", now);
        var fraud = await db.OutboxAsync("payment.fraud_flagged", $$"""{"order_id":"{{Guid.NewGuid()}}","customer_email":"eve@example.com"}""", now);
        await db.OutboxAsync("payment.failed", """{"hold_id":"h","customer_email":"carl@example.com"}""", now);
        await db.OutboxAsync("order.confirmed", $$"""{"order_id":"{{Guid.NewGuid()}}"}""", now);

        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);

        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM mail_jobs"));
        Assert.Equal("order_confirmation ann@example.com", await db.ScalarAsync<string>("SELECT kind || ' ' || to_address FROM mail_jobs WHERE outbox_id = $1", confirmed));
        Assert.Equal("refund_processed bob@example.com", await db.ScalarAsync<string>("SELECT kind || ' ' || to_address FROM mail_jobs WHERE outbox_id = $1", refunded));
        Assert.Equal("fraud_hold eve@example.com", await db.ScalarAsync<string>("SELECT kind || ' ' || to_address FROM mail_jobs WHERE outbox_id = $1", fraud));
    }

    [Fact]
    public async Task QueueTheEmailOfEveryTopicThatCallsForOne()
    {
        // a kind the mail_jobs table refused would stop the reseller's whole outbox at that row
        await using var db = await postgres.CreateAsync(nameof(QueueTheEmailOfEveryTopicThatCallsForOne));
        var now = _time.GetUtcNow();
        foreach (var topic in Mail.MailKinds.Topics)
        {
            await db.OutboxAsync(topic, $$"""{"event_id":"{{Guid.NewGuid()}}","customer_email":"{{topic}}@example.com"}""", now);
        }

        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE processed_at IS NULL"));
        Assert.Equal(Mail.MailKinds.Topics.Select(t => Mail.MailKinds.ForTopic(t)!).Order(StringComparer.Ordinal),
            (await db.ScalarAsync<string>("SELECT string_agg(kind, ',' ORDER BY kind) FROM mail_jobs")).Split(','));
    }
}
