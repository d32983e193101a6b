using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Webhooks.Mail;
using TicketAspire.Webhooks.Services;
using TicketAspire.Webhooks.Tests.Infrastructure;
using TicketAspire.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TicketAspire.Worker.Tests;

/// <summary>
/// The cell's webhook worker over two real reseller databases, a real receiver (Kestrel on loopback) and a black hole (a
/// listener that accepts and never answers).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookWorkerShould(PostgresServer postgres, ITestOutputHelper output)
{
    /// <summary>How late a webhook or e-mail of a reseller may arrive while another reseller's endpoint hangs.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    private static WebhookOptions Options() => new()
    {
        PollInterval = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(5),
        LeaseTimeout = TimeSpan.FromSeconds(60),
        RetrySchedule = [TimeSpan.FromMinutes(10)],
    };

    private static WebhookWorker Worker(TwoResellers cell, WebhookOptions options) => new(
        cell.Context, cell.DataSources, new MailboxEmailSender(cell.DataSourceAsync, TimeProvider.System), new WebhookMetrics(),
        Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new CellOptions { Id = "eu", Development = true }),
        TimeProvider.System, NullLoggerFactory.Instance, NullLogger<WebhookWorker>.Instance);

    [Fact]
    public async Task DeliverAnotherResellersWebhooksAndEveryEmailWhileOneResellersEndpointHangs()
    {
        await using var cell = await TwoResellers.CreateAsync(postgres, nameof(DeliverAnotherResellersWebhooksAndEveryEmailWhileOneResellersEndpointHangs));
        await using var hole = new BlackHole();
        await using var receiver = await Receiver.StartAsync();
        var options = Options();
        await new WebhookEndpointStore(cell.Acme, TimeProvider.System, options).CreateAsync(hole.Url, "hangs", [], default);
        await new WebhookEndpointStore(cell.Globex, TimeProvider.System, options).CreateAsync(receiver.Url, "answers", [], default);
        for (var i = 0; i < 40; i++)
        {
            await OutboxAsync(cell.Acme, "hold.created", $$"""{"hold_id":"{{Guid.NewGuid()}}"}""");
        }

        using var worker = Worker(cell, options);
        await worker.StartAsync(default);
        try
        {
            await WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(hole.Accepted > 0), "acme's deliveries to reach the black hole");

            var sw = Stopwatch.StartNew();
            await OutboxAsync(cell.Globex, "order.confirmed", $$"""{"order_id":"{{Guid.NewGuid()}}","customer_email":"bob@globex.example"}""");
            await OutboxAsync(cell.Acme, "order.confirmed", $$"""{"order_id":"{{Guid.NewGuid()}}","customer_email":"ann@acme.example"}""");
            var webhook = await WithinAsync(Bound, () => Task.FromResult(receiver.Requests.Any(r => r.Body.Contains("order.confirmed", StringComparison.Ordinal))),
                "globex's webhook", sw);
            var globexMail = await WithinAsync(Bound, async () => await CountAsync(cell.Globex, "SELECT count(*) FROM mailbox") == 1, "globex's e-mail", sw);
            var acmeMail = await WithinAsync(Bound, async () => await CountAsync(cell.Acme, "SELECT count(*) FROM mailbox") == 1, "acme's e-mail", sw);

            output.WriteLine($"globex's webhook after {webhook.TotalMilliseconds:F0} ms, globex's e-mail after {globexMail.TotalMilliseconds:F0} ms, acme's e-mail after {acmeMail.TotalMilliseconds:F0} ms");
            Assert.True(webhook <= Bound && globexMail <= Bound && acmeMail <= Bound,
                $"globex's webhook after {webhook.TotalSeconds:F1}s, globex's e-mail after {globexMail.TotalSeconds:F1}s, acme's e-mail after {acmeMail.TotalSeconds:F1}s (bound {Bound.TotalSeconds}s)");
        }
        finally
        {
            await worker.StopAsync(default);
        }
    }

    [Fact]
    public async Task DeliverToAResellersOtherEndpointsWhileOneOfItsEndpointsHangs()
    {
        await using var cell = await TwoResellers.CreateAsync(postgres, nameof(DeliverToAResellersOtherEndpointsWhileOneOfItsEndpointsHangs));
        await using var hole = new BlackHole();
        await using var receiver = await Receiver.StartAsync();
        var options = Options();
        var store = new WebhookEndpointStore(cell.Acme, TimeProvider.System, options);
        await store.CreateAsync(hole.Url, "hangs", ["hold.created"], default);
        await store.CreateAsync(receiver.Url, "answers", ["order.confirmed"], default);
        for (var i = 0; i < 40; i++)
        {
            await OutboxAsync(cell.Acme, "hold.created", $$"""{"hold_id":"{{Guid.NewGuid()}}"}""");
        }

        using var worker = Worker(cell, options);
        await worker.StartAsync(default);
        try
        {
            await WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(hole.Accepted > 0), "the deliveries to reach the black hole");
            var sw = Stopwatch.StartNew();
            await OutboxAsync(cell.Acme, "order.confirmed", $$"""{"order_id":"{{Guid.NewGuid()}}"}""");
            var webhook = await WithinAsync(Bound, () => Task.FromResult(!receiver.Requests.IsEmpty), "the other endpoint's webhook", sw);
            await Task.Delay(TimeSpan.FromSeconds(1));   // well within the 5 s request timeout: nothing sent to the black hole finished

            output.WriteLine($"the other endpoint's webhook after {webhook.TotalMilliseconds:F0} ms; {hole.Accepted} connections held by the black hole");
            Assert.True(webhook <= Bound, $"the other endpoint's webhook after {webhook.TotalSeconds:F1}s (bound {Bound.TotalSeconds}s)");
            Assert.Equal(options.MaxConcurrentDeliveriesPerEndpoint, hole.Accepted);
        }
        finally
        {
            await worker.StopAsync(default);
        }
    }

    /// <summary>
    /// Waits for <paramref name="condition"/> up to fifteen times the bound (to report how late it was, not only that it
    /// was late); returns the time taken, or fails when it never came.
    /// </summary>
    private static async Task<TimeSpan> WithinAsync(TimeSpan bound, Func<Task<bool>> condition, string what, Stopwatch? since = null)
    {
        var sw = since ?? Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(sw.Elapsed < bound * 15, $"waited {sw.Elapsed.TotalSeconds:F1}s for {what}");
            await Task.Delay(50);
        }

        return sw.Elapsed;
    }

    private static async Task OutboxAsync(NpgsqlDataSource db, string topic, string payload)
    {
        await using var cmd = db.CreateCommand("INSERT INTO outbox (topic, aggregate_id, payload, created_at) VALUES ($1, $2, $3::jsonb, now())");
        cmd.Parameters.Add(new() { Value = topic });
        cmd.Parameters.Add(new() { Value = Guid.NewGuid() });
        cmd.Parameters.Add(new() { Value = payload });
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
