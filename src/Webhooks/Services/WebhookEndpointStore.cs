using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Webhooks.Model;

namespace TicketAspire.Webhooks.Services;

/// <summary>A reseller's endpoints, secrets, messages and deliveries as the API manages them.</summary>
public sealed class WebhookEndpointStore(NpgsqlDataSource db, TimeProvider time, WebhookOptions options)
{
    /// <summary>Advisory lock (per reseller database) that serializes registrations, so the endpoint limit holds under concurrency.</summary>
    private const long RegistrationLockKey = 7_246_117_020;

    private const string EndpointColumns = "id, url, description, event_types, enabled, disabled_reason, created_at, updated_at";

    /// <summary>Most endpoints the reseller may register (<see cref="WebhookOptions.MaxEndpoints"/>).</summary>
    public int MaxEndpoints => options.MaxEndpoints;

    /// <summary>
    /// Registers an endpoint with a new secret; null when the reseller already has <see cref="WebhookOptions.MaxEndpoints"/>
    /// endpoints. Registrations are serialized per reseller database, so concurrent ones never pass the limit.
    /// </summary>
    public async Task<WebhookEndpointWithSecret?> CreateAsync(string url, string? description, IReadOnlyList<string> eventTypes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var secret = WebhookSigner.NewSecret();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // the lock first, the count in a later statement: its snapshot then sees every registration committed before
        await using (var serialize = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({RegistrationLockKey})", conn, tx))
        {
            await serialize.ExecuteNonQueryAsync(ct);
        }

        await using (var count = new NpgsqlCommand("SELECT count(*) FROM webhook_endpoints", conn, tx))
        {
            if ((long)(await count.ExecuteScalarAsync(ct))! >= options.MaxEndpoints)
            {
                return null;
            }
        }

        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                Command("INSERT INTO webhook_endpoints (id, url, description, event_types, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, true, $5, $5)",
                    id, url, Text(description), eventTypes.ToArray(), now),
                Command("INSERT INTO webhook_secrets (endpoint_id, secret, created_at) VALUES ($1, $2, $3)", id, secret, now),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return new WebhookEndpointWithSecret(id, url, description, eventTypes, true, null, now, now, secret);
    }

    /// <summary>The endpoints, newest first.</summary>
    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {EndpointColumns} FROM webhook_endpoints ORDER BY created_at DESC, id");
        return await ReadEndpointsAsync(cmd, ct);
    }

    /// <summary>One endpoint, or null.</summary>
    public async Task<WebhookEndpoint?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return (await ReadEndpointsAsync(cmd, ct)).SingleOrDefault();
    }

    /// <summary>Changes the given fields; enabling clears the disabled reason. Null when not found.</summary>
    public async Task<WebhookEndpoint?> UpdateAsync(Guid id, string? url, string? description, IReadOnlyList<string>? eventTypes, bool? enabled, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE webhook_endpoints SET
                url = coalesce($2, url),
                description = CASE WHEN $3 THEN $4 ELSE description END,
                event_types = coalesce($5, event_types),
                enabled = coalesce($6, enabled),
                disabled_reason = CASE WHEN $6 IS NULL THEN disabled_reason WHEN $6 THEN NULL ELSE 'disabled through the API' END,
                updated_at = $7
            WHERE id = $1
            RETURNING {EndpointColumns}
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = url, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = description is not null });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = Text(description) as string, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string[]?> { TypedValue = eventTypes?.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = enabled, NpgsqlDbType = NpgsqlDbType.Boolean });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return (await ReadEndpointsAsync(cmd, ct)).SingleOrDefault();
    }

    /// <summary>Deletes an endpoint with its secrets and deliveries; false when not found.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM webhook_endpoints WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>
    /// A new current secret; the previous one signs on for <see cref="WebhookOptions.SecretOverlap"/>. Null when the
    /// endpoint does not exist.
    /// </summary>
    public async Task<RotatedSecret?> RotateSecretAsync(Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var expires = now + options.SecretOverlap;
        var secret = WebhookSigner.NewSecret();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR UPDATE", conn, tx))
        {
            exists.Parameters.Add(new() { Value = id });
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                return null;
            }
        }

        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                Command("UPDATE webhook_secrets SET expires_at = $2 WHERE endpoint_id = $1 AND expires_at IS NULL", id, expires),
                // older secrets still in their overlap do not outlive the one just rotated out
                Command("UPDATE webhook_secrets SET expires_at = least(expires_at, $2) WHERE endpoint_id = $1 AND expires_at > $2", id, expires),
                Command("INSERT INTO webhook_secrets (endpoint_id, secret, created_at) VALUES ($1, $2, $3)", id, secret, now),
            },
        };
        var rotated = await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return new RotatedSecret(id, secret, rotated > 1 ? expires : null);
    }

    /// <summary>An endpoint's deliveries, newest first, optionally of one status.</summary>
    public async Task<ResultPage<WebhookDelivery>> DeliveriesAsync(Guid endpointId, DeliveryStatus? status, int page, int size, CancellationToken ct)
    {
        const string Where = "WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2)";
        await using var cmd = db.CreateCommand($"""
            SELECT d.id, d.message_id, d.endpoint_id, m.event_type, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
                   d.created_at, d.delivered_at, count(*) OVER ()
            FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
            {Where}
            ORDER BY d.created_at DESC, d.id LIMIT $3 OFFSET $4
            """);
        cmd.Parameters.Add(new() { Value = endpointId });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = status is { } s ? StatusText(s) : null, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = size });
        cmd.Parameters.Add(new() { Value = (page - 1) * size });
        var items = new List<WebhookDelivery>();
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var st = ParseStatus(reader.GetString(4));
            items.Add(new WebhookDelivery(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), st, reader.GetInt32(5),
                st == DeliveryStatus.Pending ? reader.GetFieldValue<DateTimeOffset>(6) : null,
                reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
            total = reader.GetInt64(11);
        }

        return new ResultPage<WebhookDelivery>(items, page, size, total);
    }

    /// <summary>The messages, newest first, optionally of one event type, with their deliveries counted by status.</summary>
    public async Task<ResultPage<WebhookMessage>> MessagesAsync(string? eventType, int page, int size, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT m.id, m.event_type, m.payload::text, m.created_at,
                   (SELECT coalesce(jsonb_object_agg(s.status, s.n), '{}'::jsonb)::text
                    FROM (SELECT status, count(*) AS n FROM webhook_deliveries WHERE message_id = m.id GROUP BY status) s),
                   count(*) OVER ()
            FROM webhook_messages m
            WHERE $1::text IS NULL OR m.event_type = $1
            ORDER BY m.created_at DESC, m.id DESC LIMIT $2 OFFSET $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = eventType, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = size });
        cmd.Parameters.Add(new() { Value = (page - 1) * size });
        var items = new List<WebhookMessage>();
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            using var data = JsonDocument.Parse(reader.GetString(2));
            var counts = JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(4)) ?? [];
            items.Add(new WebhookMessage(reader.GetString(0), reader.GetString(1), data.RootElement.Clone(), reader.GetFieldValue<DateTimeOffset>(3), counts));
            total = reader.GetInt64(5);
        }

        return new ResultPage<WebhookMessage>(items, page, size, total);
    }

    /// <summary>
    /// Queues a delivery again, due now, with its attempts reset; the message (and so the webhook-id) stays the same. Null
    /// when not found; a delivery of a disabled endpoint is not queued (false).
    /// </summary>
    public async Task<bool?> ReplayAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH target AS (SELECT d.id, e.enabled FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1),
            replayed AS (
                UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL, delivered_at = NULL
                FROM target WHERE d.id = target.id AND target.enabled
                RETURNING d.id)
            SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM replayed)
            """);
        cmd.Parameters.Add(new() { Value = deliveryId });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0) == 0 ? null : reader.GetInt64(1) > 0;
    }

    /// <summary>
    /// Queues again every delivery of an endpoint in <paramref name="status"/> created since <paramref name="since"/>.
    /// Null when the endpoint does not exist; else how many were queued (none while the endpoint is disabled).
    /// </summary>
    public async Task<int?> ReplayEndpointAsync(Guid endpointId, DeliveryStatus status, DateTimeOffset? since, CancellationToken ct)
    {
        if (await GetAsync(endpointId, ct) is not { } endpoint)
        {
            return null;
        }

        if (!endpoint.Enabled)
        {
            return 0;
        }

        await using var cmd = db.CreateCommand("""
            UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $4, last_error = NULL, delivered_at = NULL
            WHERE endpoint_id = $1 AND status = $2 AND ($3::timestamptz IS NULL OR created_at >= $3)
            """);
        cmd.Parameters.Add(new() { Value = endpointId });
        cmd.Parameters.Add(new() { Value = StatusText(status) });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = since, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The database form of a status.</summary>
    public static string StatusText(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    private static DeliveryStatus ParseStatus(string s) => Enum.Parse<DeliveryStatus>(s, ignoreCase: true);

    private static async Task<IReadOnlyList<WebhookEndpoint>> ReadEndpointsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<WebhookEndpoint>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new WebhookEndpoint(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<string[]>(3), reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return list;
    }

    private static object Text(string? s) => string.IsNullOrWhiteSpace(s) ? DBNull.Value : s;

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        }

        return command;
    }
}
