using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// Hold-without-confirm abuse, for one reseller database: an account that let too many holds lapse or cancelled them
/// within a window is blocked from new holds for a while. <c>account_blocks</c> is the source of truth. One statement
/// per check: the live block if any, else the count of unconfirmed holds since the window began (or since the last
/// block ended: a block clears the slate), and a new block when the count reached the threshold. The window, the
/// threshold and the length of a block are <see cref="AccountBlockOptions"/> (defaults without any).
/// </summary>
public sealed class AccountBlocks(NpgsqlDataSource db, TimeProvider time, AccountBlockOptions? options = null)
{
    /// <summary>The rule this instance checks.</summary>
    public AccountBlockOptions Options { get; } = options ?? new();

    /// <summary>The reason recorded for a hold-without-confirm block.</summary>
    public const string HoldWithoutConfirm = "hold_without_confirm";

    /// <summary>$1 customer, $2 now, $3 window start, $4 block end, $5 threshold, $6 reason.</summary>
    private const string Sql = """
        WITH active AS (
            SELECT blocked_until FROM account_blocks WHERE customer_ref = $1 AND blocked_until > $2),
        lapsed AS (
            SELECT count(*)::int AS n FROM holds
            WHERE customer_ref = $1
              AND created_at > greatest($3, coalesce((SELECT blocked_until FROM account_blocks WHERE customer_ref = $1), '-infinity'))
              AND (status IN (2, 3) OR (status = 0 AND expires_at <= $2))),
        started AS (
            INSERT INTO account_blocks (customer_ref, reason, blocked_at, blocked_until)
            SELECT $1, $6, $2, $4 WHERE NOT EXISTS (SELECT 1 FROM active) AND (SELECT n FROM lapsed) >= $5
            ON CONFLICT (customer_ref) DO UPDATE
                SET reason = excluded.reason, blocked_at = excluded.blocked_at, blocked_until = excluded.blocked_until
                WHERE account_blocks.blocked_until <= excluded.blocked_at
            RETURNING blocked_until)
        SELECT (SELECT blocked_until FROM active), (SELECT blocked_until FROM started), (SELECT n FROM lapsed)
        """;

    /// <summary>Checks <paramref name="customerRef"/> against <see cref="Options"/>.</summary>
    public Task<AccountStanding> CheckAsync(string customerRef, CancellationToken ct) =>
        CheckAsync(customerRef, Options.UnconfirmedWindow, Options.MaxUnconfirmedHolds, Options.BlockFor, ct);

    /// <summary>
    /// Checks <paramref name="customerRef"/>: blocked already, or now (at least <paramref name="threshold"/> holds created
    /// within <paramref name="window"/> that were cancelled or expired unconfirmed), for <paramref name="blockFor"/>.
    /// </summary>
    public async Task<AccountStanding> CheckAsync(string customerRef, TimeSpan window, int threshold, TimeSpan blockFor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = customerRef });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now - window });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now + blockFor });
        cmd.Parameters.Add(new NpgsqlParameter { Value = threshold });
        cmd.Parameters.Add(new NpgsqlParameter { Value = HoldWithoutConfirm });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var active = reader.IsDBNull(0) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(0);
        var started = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);
        return new AccountStanding(active ?? started, started is not null, reader.GetInt32(2));
    }

    /// <summary>
    /// Ends <paramref name="customerRef"/>'s live block now (support): the row stays with its end moved to now, so the holds
    /// that led to it no longer count (a block clears the slate) and the next hold is not blocked again for them. False when
    /// the account has no live block.
    /// </summary>
    public async Task<bool> UnblockAsync(string customerRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE account_blocks SET blocked_until = $2 WHERE customer_ref = $1 AND blocked_until > $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = customerRef });
        cmd.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Lifts a block (support, or tests).</summary>
    public async Task LiftAsync(string customerRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM account_blocks WHERE customer_ref = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = customerRef });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
