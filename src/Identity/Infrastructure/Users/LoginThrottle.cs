using Npgsql;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// Brute-force throttling of password sign-ins per e-mail address, known or not (table <c>login_throttle</c>): every
/// attempt is counted before its password is checked, in the same statement that checks the lock, so of any number of
/// parallel attempts exactly <see cref="FreeFailures"/> are evaluated before the address locks (for a minute, doubling per
/// further failure up to 15). A success clears the count. The lock refuses new sign-ins only: sessions and refresh
/// tokens of the account go on.
/// </summary>
public sealed class LoginThrottle(Func<ValueTask<NpgsqlDataSource>> database, TimeProvider time)
{
    /// <summary>Consecutive failures allowed before the address locks.</summary>
    public const int FreeFailures = 5;

    /// <summary>How long a count is kept after its last attempt.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Counts one attempt at <paramref name="address"/> unless it is locked. Allowed: the attempt may be evaluated (with
    /// <see cref="ThrottleTicket.LockedUntil"/> set when it is the last one before the lock); else refused until then.
    /// </summary>
    public async Task<ThrottleTicket> TryReserveAsync(string address, CancellationToken ct)
    {
        var db = await database();
        var now = time.GetUtcNow();
        await using (var reserve = db.CreateCommand("""
            INSERT INTO login_throttle AS t (email_normalized, failures, locked_until, updated_at)
            VALUES ($1, 1, CASE WHEN 1 >= $2 THEN $3 + interval '1 minute' END, $3)
            ON CONFLICT (email_normalized) DO UPDATE
                SET failures = t.failures + 1,
                    locked_until = CASE WHEN t.failures + 1 >= $2
                        THEN $3 + least(interval '15 minutes', interval '1 minute' * power(2, t.failures + 1 - $2)) END,
                    updated_at = $3
                WHERE t.locked_until IS NULL OR t.locked_until <= $3
            RETURNING locked_until
            """))
        {
            reserve.Parameters.Add(new() { Value = address });
            reserve.Parameters.Add(new() { Value = FreeFailures });
            reserve.Parameters.Add(new() { Value = now });
            await using var reader = await reserve.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                return new ThrottleTicket(true, reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0));
            }
        }

        // locked: read the lock's end afresh (it may have been set by the attempt that just went before)
        await using var read = db.CreateCommand("SELECT locked_until FROM login_throttle WHERE email_normalized = $1");
        read.Parameters.Add(new() { Value = address });
        return new ThrottleTicket(false, await read.ExecuteScalarAsync(ct) is DateTime until
            ? new DateTimeOffset(until, TimeSpan.Zero)
            : now + TimeSpan.FromMinutes(1));
    }

    /// <summary>A success: the address starts again with no failures.</summary>
    public async Task ClearAsync(string address, CancellationToken ct)
    {
        await using var cmd = (await database()).CreateCommand("DELETE FROM login_throttle WHERE email_normalized = $1");
        cmd.Parameters.Add(new() { Value = address });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Forgets counts untouched for <see cref="ForgetAfter"/> (a lock lasts 15 minutes at most); returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var threshold = time.GetUtcNow() - ForgetAfter;
        await using var cmd = (await database()).CreateCommand("DELETE FROM login_throttle WHERE updated_at < $1");
        cmd.Parameters.Add(new() { Value = threshold });
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
