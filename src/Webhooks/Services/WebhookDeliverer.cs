using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TicketAspire.Webhooks.Services;

/// <summary>
/// Sends a reseller's due deliveries. Each is claimed with a lease (its <c>next_attempt_at</c> moved forward in the
/// claiming statement, <c>SKIP LOCKED</c>), sent, and its outcome recorded: 2xx delivered; 410 disables the endpoint;
/// anything else is retried per <see cref="WebhookOptions.RetrySchedule"/> and is dead after the last. At least once: a
/// worker that dies between sending and recording sends again when the lease runs out, with the same <c>webhook-id</c>.
/// </summary>
public sealed partial class WebhookDeliverer(
    NpgsqlDataSource db, HttpClient http, WebhookOptions options, bool development, TimeProvider time, WebhookMetrics metrics, string reseller, ILogger logger)
{
    private readonly WebhookUrlPolicy _policy = new(development);

    private static readonly Dictionary<Guid, int> NoneInFlight = [];

    /// <summary>
    /// Sends up to <see cref="WebhookOptions.BatchSize"/> due deliveries, eight at a time, and returns how many were
    /// attempted once all are done. (The worker's <see cref="ResellerWebhookPump"/> instead keeps a bounded number in
    /// flight per reseller and endpoint and claims the next as soon as one finishes.)
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(options.BatchSize, NoneInFlight, options.BatchSize, ct);
        await Parallel.ForEachAsync(claimed.Deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (delivery, token) =>
            await SendAsync(delivery, claimed.SecretsOf(delivery), token));
        return claimed.Deliveries.Count;
    }

    /// <summary>The body of a message: <c>{"type", "timestamp", "data"}</c>, the same on every attempt.</summary>
    public static string Body(string eventType, DateTimeOffset createdAt, string payload) =>
        $"{{\"type\":{JsonSerializer.Serialize(eventType)},\"timestamp\":\"{createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\",\"data\":{payload}}}";

    /// <summary>A delivery claimed for sending, with its message and endpoint.</summary>
    internal sealed record Claimed(Guid Id, int Attempts, string MessageId, string EventType, string Payload, DateTimeOffset CreatedAt, Guid EndpointId, string Url, bool Enabled);

    /// <summary>Claimed deliveries and the current secrets of their endpoints.</summary>
    internal sealed record ClaimedBatch(IReadOnlyList<Claimed> Deliveries, Dictionary<Guid, List<string>> Secrets)
    {
        public List<string> SecretsOf(Claimed delivery) => Secrets.GetValueOrDefault(delivery.EndpointId) ?? [];
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries, oldest due first, at most <paramref name="perEndpoint"/> per
    /// endpoint counting those <paramref name="inFlight"/> already (endpoint id → deliveries being sent).
    /// </summary>
    internal async Task<ClaimedBatch> ClaimAsync(int limit, IReadOnlyDictionary<Guid, int> inFlight, int perEndpoint, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // per endpoint, its oldest due deliveries up to its free room (an index probe each: endpoints are capped per reseller)
        await using var cmd = db.CreateCommand("""
            WITH busy AS (SELECT b.endpoint_id, b.n FROM unnest($4::uuid[], $5::int[]) AS b (endpoint_id, n)),
            due AS (
                SELECT c.id, c.next_attempt_at FROM webhook_endpoints e
                CROSS JOIN LATERAL (
                    SELECT d.id, d.next_attempt_at FROM webhook_deliveries d
                    WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= $1
                    ORDER BY d.next_attempt_at
                    LIMIT greatest($6 - coalesce((SELECT busy.n FROM busy WHERE busy.endpoint_id = e.id), 0), 0)
                    FOR UPDATE OF d SKIP LOCKED) c
                ORDER BY c.next_attempt_at LIMIT $2)
            UPDATE webhook_deliveries d SET next_attempt_at = $3
            FROM due, webhook_messages m, webhook_endpoints e
            WHERE d.id = due.id AND m.id = d.message_id AND e.id = d.endpoint_id
            RETURNING d.id, d.attempts, m.id, m.event_type, m.payload::text, m.created_at, e.id, e.url, e.enabled
            """);
        cmd.Parameters.Add(new() { Value = now });
        cmd.Parameters.Add(new() { Value = limit });
        cmd.Parameters.Add(new() { Value = now + options.LeaseTimeout });
        cmd.Parameters.Add(new() { Value = inFlight.Keys.ToArray() });
        cmd.Parameters.Add(new() { Value = inFlight.Values.ToArray() });
        cmd.Parameters.Add(new() { Value = perEndpoint });
        var list = new List<Claimed>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                list.Add(new Claimed(reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetGuid(6), reader.GetString(7), reader.GetBoolean(8)));
            }
        }

        return new ClaimedBatch(list, list.Count == 0 ? [] : await SecretsAsync([.. list.Select(c => c.EndpointId).Distinct()], ct));
    }

    private async Task<Dictionary<Guid, List<string>>> SecretsAsync(Guid[] endpoints, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT endpoint_id, secret FROM webhook_secrets
            WHERE endpoint_id = ANY ($1) AND (expires_at IS NULL OR expires_at > $2)
            ORDER BY endpoint_id, created_at DESC
            """);
        cmd.Parameters.Add(new() { Value = endpoints });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        var map = new Dictionary<Guid, List<string>>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (!map.TryGetValue(id, out var list))
            {
                map[id] = list = [];
            }

            list.Add(reader.GetString(1));
        }

        return map;
    }

    /// <summary>Sends one claimed delivery and records its outcome.</summary>
    internal async Task SendAsync(Claimed d, List<string> secrets, CancellationToken ct)
    {
        if (!d.Enabled)
        {
            await ExecAsync("UPDATE webhook_deliveries SET status = 'disabled', last_error = 'endpoint disabled' WHERE id = $1 AND status = 'pending'", ct, d.Id);
            return;
        }

        var body = Body(d.EventType, d.CreatedAt, d.Payload);
        var at = time.GetUtcNow();
        var sw = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        if (_policy.CheckSyntax(d.Url, out var uri) is { } refused)
        {
            error = $"URL refused: {refused}";
        }
        else if (secrets.Count == 0)
        {
            error = "the endpoint has no current secret";
        }
        else
        {
            var timestamp = at.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", d.MessageId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSigner.SignatureHeader(secrets, d.MessageId, timestamp, body));
            request.Headers.UserAgent.ParseAdd("TicketAspire-Webhooks/1.0");
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"HTTP {status} {response.ReasonPhrase}";
                }
            }
            catch (HttpRequestException ex)
            {
                error = Truncate(ex.Message);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"no answer within {options.RequestTimeout.TotalSeconds:F0}s";
            }
        }

        var durationMs = (int)sw.ElapsedMilliseconds;
        await RecordAsync(d, at, status, error, durationMs, ct);
    }

    private async Task RecordAsync(Claimed d, DateTimeOffset at, int? status, string? error, int durationMs, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(Command("INSERT INTO webhook_attempts (delivery_id, at, status_code, duration_ms, error) VALUES ($1, $2, $3, $4, $5)",
            d.Id, at, status, durationMs, error));
        var attempts = d.Attempts + 1;
        if (error is null)
        {
            batch.BatchCommands.Add(Command("""
                UPDATE webhook_deliveries SET status = 'delivered', attempts = $2, last_status = $3, last_error = NULL, delivered_at = $4
                WHERE id = $1
                """, d.Id, attempts, status, time.GetUtcNow()));
            metrics.Succeeded(reseller);
        }
        else if (status == (int)HttpStatusCode.Gone)
        {
            var reason = $"the endpoint answered 410 Gone at {at:O}";
            batch.BatchCommands.Add(Command("UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id = $1",
                d.EndpointId, reason, at));
            batch.BatchCommands.Add(Command("""
                UPDATE webhook_deliveries SET status = 'disabled', last_error = 'endpoint disabled: answered 410 Gone'
                WHERE endpoint_id = $1 AND status = 'pending' AND id <> $2
                """, d.EndpointId, d.Id));
            batch.BatchCommands.Add(Command("UPDATE webhook_deliveries SET status = 'disabled', attempts = $2, last_status = $3, last_error = $4 WHERE id = $1",
                d.Id, attempts, status, error));
            metrics.Failed(reseller);
            LogDisabled(logger, d.EndpointId, reseller);
        }
        else if (RetrySchedule.NextDelay(options.EffectiveRetrySchedule, attempts, options.Jitter, Random.Shared.NextDouble) is { } wait)
        {
            batch.BatchCommands.Add(Command("UPDATE webhook_deliveries SET attempts = $2, last_status = $3, last_error = $4, next_attempt_at = $5 WHERE id = $1",
                d.Id, attempts, status, error, time.GetUtcNow() + wait));
            metrics.Failed(reseller);
            LogRetry(logger, d.MessageId, d.EndpointId, attempts, error, wait);
        }
        else
        {
            batch.BatchCommands.Add(Command("UPDATE webhook_deliveries SET status = 'dead', attempts = $2, last_status = $3, last_error = $4 WHERE id = $1",
                d.Id, attempts, status, error));
            metrics.Dead(reseller);
            LogDead(logger, d.MessageId, d.EndpointId, attempts, error);
        }

        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task ExecAsync(string sql, CancellationToken ct, params object?[] values)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { Command(sql, values) } };
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        }

        return command;
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500];

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery of {MessageId} to endpoint {EndpointId} failed (attempt {Attempts}: {Error}); retry in {Wait}")]
    private static partial void LogRetry(ILogger logger, string messageId, Guid endpointId, int attempts, string error, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {MessageId} to endpoint {EndpointId} is dead after {Attempts} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, string messageId, Guid endpointId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint {EndpointId} of reseller {Reseller} answered 410 Gone and was disabled")]
    private static partial void LogDisabled(ILogger logger, Guid endpointId, string reseller);
}
