using Npgsql;

namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>The <c>idempotency_keys</c> table of a reseller's database.</summary>
public static class IdempotencyStore
{
    /// <summary>
    /// Claims (<paramref name="actor"/>, <paramref name="key"/>) for a new request; true when this request owns it. A row
    /// past its expiry is taken over in the same statement (retention without a purge on the hot path), and so is a claim
    /// still unanswered since before <paramref name="abandonedBefore"/>: its request died with the replica that ran it (a
    /// live request never runs that long), and without the takeover a client's retry would be refused for the whole
    /// retention period.
    /// </summary>
    public static async Task<bool> TryClaimAsync(NpgsqlDataSource db, string actor, string key, string method, string path, byte[] hash,
        DateTimeOffset now, DateTimeOffset expiresAt, DateTimeOffset abandonedBefore, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand("""
            INSERT INTO idempotency_keys AS k (actor, key, method, path, request_hash, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (actor, key) DO UPDATE
                SET method = excluded.method, path = excluded.path, request_hash = excluded.request_hash, status = NULL,
                    content_type = NULL, location = NULL, response_body = NULL, created_at = excluded.created_at,
                    completed_at = NULL, expires_at = excluded.expires_at
                WHERE k.expires_at <= excluded.created_at
                   OR (k.completed_at IS NULL AND k.created_at < $8 AND k.method = excluded.method AND k.path = excluded.path
                       AND k.request_hash = excluded.request_hash)
            RETURNING true
            """);
        Add(cmd, actor, key, method, path, hash, now, expiresAt, abandonedBefore);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>The key's row, or null when there is none (or it expired).</summary>
    public static async Task<StoredResponse?> FindAsync(NpgsqlDataSource db, string actor, string key, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand("""
            SELECT method, path, request_hash, status, content_type, location, response_body
            FROM idempotency_keys WHERE actor = $1 AND key = $2 AND expires_at > $3
            """);
        Add(cmd, actor, key, now);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new StoredResponse(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2),
            reader.IsDBNull(3) ? null : reader.GetInt16(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<byte[]>(6));
    }

    /// <summary>Stores the answer of the request that owns the key.</summary>
    public static async Task CompleteAsync(NpgsqlDataSource db, string actor, string key, int status, string? contentType, string? location,
        byte[] body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand("""
            UPDATE idempotency_keys SET status = $3, content_type = $4, location = $5, response_body = $6, completed_at = $7
            WHERE actor = $1 AND key = $2 AND completed_at IS NULL
            """);
        cmd.Parameters.Add(new() { Value = actor });
        cmd.Parameters.Add(new() { Value = key });
        cmd.Parameters.Add(new() { Value = (short)status });
        cmd.Parameters.Add(new() { Value = (object?)contentType ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (object?)location ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = body });
        cmd.Parameters.Add(new() { Value = now });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Gives the key up (the request failed in a way a retry should run again).</summary>
    public static async Task ReleaseAsync(NpgsqlDataSource db, string actor, string key)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand("DELETE FROM idempotency_keys WHERE actor = $1 AND key = $2 AND completed_at IS NULL");
        Add(cmd, actor, key);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static void Add(NpgsqlCommand cmd, params object[] values)
    {
        foreach (var value in values)
        {
            cmd.Parameters.Add(new() { Value = value });
        }
    }
}
