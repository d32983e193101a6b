using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Webhooks.Mail;
using TicketAspire.Webhooks.Services;
using TicketAspire.Webhooks.Tests.Infrastructure;

namespace TicketAspire.Webhooks.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MailSenderShould(PostgresServer postgres)
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    /// <summary>An order of two reserved seats with their tickets, written as the hold service writes them.</summary>
    private static async Task<(Guid OrderId, string[] Codes)> OrderAsync(NpgsqlDataSource db, string? email)
    {
        Guid venue = Guid.NewGuid(), ev = Guid.NewGuid(), cls = Guid.NewGuid(), hold = Guid.NewGuid(), order = Guid.NewGuid();
        var seats = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var codes = new[] { "TA-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(), "TA-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant() };
        await db.ExecAsync("INSERT INTO venues (id, name, city, created_at) VALUES ($1, 'Arena', 'Vienna', now())", venue);
        await db.ExecAsync("INSERT INTO events (id, venue_id, name, type, starts_at, seating, currency, created_at) VALUES ($1, $2, 'Night of Strings', 'concert', '2027-03-01T19:30:00Z', 0, 'EUR', now())", ev, venue);
        await db.ExecAsync("INSERT INTO ticket_classes (id, event_id, name, price_minor, currency, capacity) VALUES ($1, $2, 'Stalls', 4500, 'EUR', 2)", cls, ev);
        await db.ExecAsync("INSERT INTO holds (id, event_id, customer_ref, status, expires_at, total_minor, currency, created_at) VALUES ($1, $2, 'c1', 1, now(), 9000, 'EUR', now())", hold, ev);
        for (var i = 0; i < 2; i++)
        {
            await db.ExecAsync("INSERT INTO seats (id, event_id, class_id, ordinal, section, row_label, number, price_minor, status, hold_id) VALUES ($1, $2, $3, $4, 'A', '3', $5, 4500, 2, $6)",
                seats[i], ev, cls, i, (i + 7).ToString(System.Globalization.CultureInfo.InvariantCulture), hold);
        }

        await db.ExecAsync("INSERT INTO orders (id, hold_id, event_id, customer_ref, total_minor, currency, payment_reference, created_at, customer_email) VALUES ($1, $2, $3, 'c1', 9000, 'EUR', 'p', now(), $4)",
            order, hold, ev, (object?)email ?? DBNull.Value);
        for (var i = 0; i < 2; i++)
        {
            await db.ExecAsync("INSERT INTO tickets (id, order_id, event_id, seat_id, class_id, price_minor, currency, code, issued_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, 4500, 'EUR', $5, now())",
                order, ev, seats[i], cls, codes[i]);
        }

        return (order, codes);
    }

    private MailSender Sender(NpgsqlDataSource db) =>
        new(db, new MailboxEmailSender((_, _) => ValueTask.FromResult(db), _time), new WebhookOptions(), _time, new WebhookMetrics(), "acme", NullLogger.Instance);

    [Fact]
    public async Task PutTheOrderConfirmationWithEveryTicketCodeInTheMailbox()
    {
        await using var db = await postgres.CreateAsync(nameof(PutTheOrderConfirmationWithEveryTicketCodeInTheMailbox));
        var (order, codes) = await OrderAsync(db, email: null);
        await db.OutboxAsync("order.confirmed", $$"""{"order_id":"{{order}}","customer_email":"ann@example.com"}""", _time.GetUtcNow());
        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);

        Assert.Equal(1, await Sender(db).SendDueAsync(default));
        Assert.Equal(0, await Sender(db).SendDueAsync(default));

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM mailbox"));
        Assert.Equal("ann@example.com|Your tickets for Night of Strings|order_confirmation",
            await db.ScalarAsync<string>("SELECT to_address || '|' || subject || '|' || kind FROM mailbox"));
        var text = await db.ScalarAsync<string>("SELECT text_body FROM mailbox");
        var html = await db.ScalarAsync<string>("SELECT html_body FROM mailbox");
        Assert.All(codes, c => Assert.Contains(c, text, StringComparison.Ordinal));
        Assert.All(codes, c => Assert.Contains(c, html, StringComparison.Ordinal));
        Assert.Contains("section A, row 3, seat 7", text, StringComparison.Ordinal);
        Assert.Contains("90.00 EUR", text, StringComparison.Ordinal);
        Assert.Equal("sent", await db.ScalarAsync<string>("SELECT status FROM mail_jobs"));
    }

    [Fact]
    public async Task FallBackToTheOrdersAddressAndRenderRefundAndFraudHold()
    {
        await using var db = await postgres.CreateAsync(nameof(FallBackToTheOrdersAddressAndRenderRefundAndFraudHold));
        var (order, _) = await OrderAsync(db, email: "guest@example.com");
        await db.OutboxAsync("order.refunded", $$"""{"order_id":"{{order}}","refund_id":"r1","amount":2500,"reason":"requested","seat_disposition":"released"}""", _time.GetUtcNow());
        await db.OutboxAsync("payment.fraud_flagged", $$"""{"order_id":"{{order}}","payment_id":"p1","fraud_type":"stolen_card","customer_email":"guest@example.com"}""", _time.GetUtcNow());
        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);

        Assert.Equal(2, await Sender(db).SendDueAsync(default));

        Assert.Contains("25.00 EUR", await db.ScalarAsync<string>("SELECT text_body FROM mailbox WHERE kind = 'refund_processed' AND to_address = 'guest@example.com'"), StringComparison.Ordinal);
        Assert.Equal("Your order is being reviewed", await db.ScalarAsync<string>("SELECT subject FROM mailbox WHERE kind = 'fraud_hold'"));
    }

    [Fact]
    public async Task RetryWhenTheSenderFailsAndSendOnce()
    {
        await using var db = await postgres.CreateAsync(nameof(RetryWhenTheSenderFailsAndSendOnce));
        var (order, _) = await OrderAsync(db, email: "ann@example.com");
        await db.OutboxAsync("order.confirmed", $$"""{"order_id":"{{order}}"}""", _time.GetUtcNow());
        await new OutboxDispatcher(db, _time).DispatchAsync(100, default);
        var flaky = new FlakySender(new MailboxEmailSender((_, _) => ValueTask.FromResult(db), _time), failures: 1);
        var sender = new MailSender(db, flaky, new WebhookOptions(), _time, new WebhookMetrics(), "acme", NullLogger.Instance);

        Assert.Equal(0, await sender.SendDueAsync(default));
        Assert.Equal("pending 1", await db.ScalarAsync<string>("SELECT status || ' ' || attempts FROM mail_jobs"));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, await sender.SendDueAsync(default));

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM mailbox"));
    }

    /// <summary>An e-mail sender (an adapter of <see cref="IEmailSender"/>) whose provider refuses the first sends.</summary>
    private sealed class FlakySender(IEmailSender inner, int failures) : IEmailSender
    {
        private int _left = failures;

        public Task SendAsync(EmailMessage message, CancellationToken ct) =>
            Interlocked.Decrement(ref _left) >= 0 ? throw new IOException("provider unavailable") : inner.SendAsync(message, ct);
    }

    [Theory]
    [InlineData(true, "You won the lottery")]
    [InlineData(false, "not drawn this time")]
    public async Task RenderALotteryResultForWinnersAndLosers(bool won, string expected)
    {
        await using var db = await postgres.CreateAsync(nameof(RenderALotteryResultForWinnersAndLosers) + won);
        var payload = won
            ? $$"""{"event_id":"{{Guid.NewGuid()}}","won":true,"rank":1,"window_ends_at":"2030-01-01T10:00:00+00:00"}"""
            : $$"""{"event_id":"{{Guid.NewGuid()}}","won":false,"rank":7,"window_ends_at":null}""";

        var mail = await new MailRenderer(db).RenderAsync(MailKinds.LotteryResult, null, payload, default);

        Assert.Contains(expected, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(won ? "until 2030-01-01 10:00 UTC" : "nothing was charged", mail.TextBody, StringComparison.Ordinal);
    }
}
