using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Webhooks.Mail;

namespace TicketAspire.Webhooks.Services;

/// <summary>
/// Turns a reseller's unprocessed outbox rows into webhook messages, one pending delivery per enabled endpoint subscribed
/// to the topic, and the end-user mail jobs the topic calls for, all in one transaction that also marks the rows
/// processed. Rows are locked with <c>SKIP LOCKED</c>, so concurrent dispatchers never process a row twice. A payload's
/// <c>private</c> member (a transfer's claim token) is for the e-mail alone: the webhook message is written without it, and
/// so is the outbox row once processed.
/// </summary>
public sealed class OutboxDispatcher(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>Dispatches up to <paramref name="batchSize"/> rows; returns how many.</summary>
    public async Task<int> DispatchAsync(int batchSize, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rows = new List<(long Id, string Topic, string Payload)>();
        await using (var select = new NpgsqlCommand(
            "SELECT id, topic, payload::text FROM outbox WHERE processed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED", conn, tx))
        {
            select.Parameters.Add(new() { Value = batchSize });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var (id, topic, payload) in rows)
        {
            var messageId = "msg_" + Guid.CreateVersion7(now).ToString("N");
            batch.BatchCommands.Add(Command(
                "INSERT INTO webhook_messages (id, outbox_id, event_type, payload, created_at) VALUES ($1, $2, $3, $4::jsonb - 'private', $5)",
                messageId, id, topic, payload, now));
            batch.BatchCommands.Add(Command("""
                INSERT INTO webhook_deliveries (id, message_id, endpoint_id, status, attempts, next_attempt_at, created_at)
                SELECT gen_random_uuid(), $1, e.id, 'pending', 0, $3, $3
                FROM webhook_endpoints e
                WHERE e.enabled AND (cardinality(e.event_types) = 0 OR $2 = ANY (e.event_types))
                """, messageId, topic, now));
            if (MailKinds.ForTopic(topic) is { } kind)
            {
                var (email, orderId) = Recipient(payload);
                // producers put customer_email in the payload (docs/payments.md §5); the order's address is the fallback
                var mail = Command("""
                    INSERT INTO mail_jobs (id, outbox_id, kind, to_address, order_id, payload, status, attempts, next_attempt_at, created_at)
                    SELECT gen_random_uuid(), $1, $2, a.address, $4, $5::jsonb, 'pending', 0, $6, $6
                    FROM (SELECT coalesce($3, (SELECT customer_email FROM orders WHERE id = $4)) AS address) a
                    WHERE a.address IS NOT NULL AND a.address <> ''
                    ON CONFLICT (outbox_id, kind) DO NOTHING
                    """, id, kind, email, orderId, payload, now);
                mail.Parameters[2].NpgsqlDbType = NpgsqlDbType.Text;
                mail.Parameters[3].NpgsqlDbType = NpgsqlDbType.Uuid;
                batch.BatchCommands.Add(mail);
            }
        }

        batch.BatchCommands.Add(Command("UPDATE outbox SET processed_at = $1, payload = payload - 'private' WHERE id = ANY ($2)", now, rows.Select(r => r.Id).ToArray()));
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private static (string? Email, Guid? OrderId) Recipient(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        string? email = root.TryGetProperty("customer_email", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        Guid? orderId = root.TryGetProperty("order_id", out var o) && o.ValueKind == JsonValueKind.String && Guid.TryParse(o.GetString(), out var g) ? g : null;
        return (email, orderId);
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
}
