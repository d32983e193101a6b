using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using TicketAspire.Payments.Simulator.Model;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// Webhook events, stored in the transaction of the change they announce (<c>webhook_events</c>) and delivered later by
/// <see cref="WebhookSender"/>. The body is serialized once, so every attempt sends (and signs) the same bytes.
/// </summary>
public sealed class WebhookOutbox(PspDatabase db, IOptions<JsonOptions> json)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Delivery states.</summary>
    public static class States
    {
        /// <summary>Waiting for its (next) attempt.</summary>
        public const string Pending = "pending";

        /// <summary>Answered 2xx.</summary>
        public const string Delivered = "delivered";

        /// <summary>Every attempt of the retry schedule failed.</summary>
        public const string Failed = "failed";
    }

    /// <summary>Stores an event about <paramref name="subject"/> inside the caller's transaction.</summary>
    public async Task<string> AddAsync(SqliteConnection connection, SqliteTransaction transaction, string type, object subject, string? intentId, DateTimeOffset now)
    {
        var id = Ids.New("evt_");
        var payload = JsonSerializer.Serialize(new WebhookEvent(id, type, now.ToUnixTimeSeconds(), new WebhookEventData(subject)), json.Value.SerializerOptions);
        await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO webhook_events (id, type, payment_intent, created, payload, state, next_attempt_at) VALUES ($id, $type, $pi, $created, $payload, $state, $next)",
            ("$id", id), ("$type", type), ("$pi", intentId), ("$created", now.ToUnixTimeSeconds()), ("$payload", payload),
            ("$state", States.Pending), ("$next", now.ToUnixTimeMilliseconds()));
        _wake.Writer.TryWrite(true);
        return id;
    }

    /// <summary>Waits until an event was added or <paramref name="timeout"/> passed.</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // timeout: poll anyway (retries become due without a wake-up)
        }
    }

    /// <summary>Pending events whose next attempt is due, oldest first.</summary>
    public Task<List<OutboxEvent>> DueAsync(DateTimeOffset now, int limit) => db.ReadAsync(c => Sql.QueryAsync(c, null,
        "SELECT id, type, payload, attempts FROM webhook_events WHERE state = $pending AND next_attempt_at <= $now ORDER BY seq LIMIT $limit",
        r => new OutboxEvent(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3)),
        ("$pending", States.Pending), ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit)));

    /// <summary>Records an attempt: delivered, another try at <paramref name="nextAttempt"/>, or failed for good.</summary>
    public Task RecordAttemptAsync(string id, int attempts, string state, int? status, string? error, DateTimeOffset now, DateTimeOffset? nextAttempt) =>
        db.WriteAsync((c, tx) => Sql.ExecuteAsync(c, tx,
            """
            UPDATE webhook_events SET attempts = $attempts, state = $state, last_status = $status, last_error = $error,
                next_attempt_at = coalesce($next, next_attempt_at), delivered_at = CASE WHEN $state = 'delivered' THEN $now ELSE delivered_at END
            WHERE id = $id
            """,
            ("$id", id), ("$attempts", attempts), ("$state", state), ("$status", status), ("$error", error),
            ("$next", nextAttempt?.ToUnixTimeMilliseconds()), ("$now", now.ToUnixTimeSeconds())));

    /// <summary>Every event with its delivery state, oldest first (for tests).</summary>
    public Task<List<WebhookDelivery>> ListAsync(string? type, string? intentId) => db.ReadAsync(c => Sql.QueryAsync(c, null,
        """
        SELECT id, type, payment_intent, created, state, attempts, last_status, last_error, next_attempt_at, delivered_at, payload
        FROM webhook_events WHERE ($type IS NULL OR type = $type) AND ($pi IS NULL OR payment_intent = $pi) ORDER BY seq
        """,
        r => new WebhookDelivery(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetInt64(3), r.GetString(4), r.GetInt32(5),
            (int?)r.NullableInt64(6), r.NullableString(7), r.GetString(4) == States.Pending ? r.GetInt64(8) / 1000 : null, r.NullableInt64(9),
            JsonDocument.Parse(r.GetString(10)).RootElement.Clone()),
        ("$type", type), ("$pi", intentId)));
}

/// <summary>An event waiting for delivery.</summary>
public sealed record OutboxEvent(string Id, string Type, string Payload, int Attempts);

/// <summary>An event and its delivery state (<c>GET /v1/test/webhooks</c>); times in unix seconds.</summary>
public sealed record WebhookDelivery(
    string Id,
    string Type,
    string? PaymentIntent,
    long Created,
    string State,
    int Attempts,
    int? LastStatus,
    string? LastError,
    long? NextAttemptAt,
    long? DeliveredAt,
    JsonElement Event);
