using Npgsql;

namespace TicketAspire.Inventory.Privacy;

/// <summary>
/// Erases or anonymises end users' personal data older than the cell's retention period in one reseller's database,
/// keeping what accounting needs (amounts, fees, ledger, ticket ids and status, payment references). Each step is one
/// bounded statement (at most the batch size of rows, <c>FOR UPDATE SKIP LOCKED</c>), repeated until fewer rows are
/// left; every step only picks rows that still carry personal data, so a pass run twice changes nothing the second
/// time. What each table keeps and loses, and why: <c>docs/retention.md</c>.
/// </summary>
public sealed class RetentionSweeper(NpgsqlDataSource db, TimeProvider time)
{
    // $1: the cut-off (now - retention), $2: the batch size. Every statement selects rows still holding personal data;
    // an erased customer reference becomes 'erased', an end user's own words '(erased)' (as PersonalData does).
    private static readonly (string Table, string Sql)[] Steps =
    [
        ("holds", """
            UPDATE holds h SET customer_email = NULL, customer_ref = 'erased'
            FROM (SELECT h.id FROM holds h JOIN events e ON e.id = h.event_id
                  WHERE h.status <> 0 AND coalesce(h.closed_at, h.expires_at) < $1 AND e.starts_at < $1
                    AND (h.customer_email IS NOT NULL OR h.customer_ref <> 'erased')
                  LIMIT $2 FOR UPDATE OF h SKIP LOCKED) old
            WHERE h.id = old.id
            """),
        ("orders", """
            UPDATE orders o SET customer_email = NULL, customer_ref = 'erased'
            FROM (SELECT o.id FROM orders o JOIN events e ON e.id = o.event_id
                  WHERE o.created_at < $1 AND e.starts_at < $1
                    AND (o.customer_email IS NOT NULL OR o.customer_ref <> 'erased')
                    AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id AND r.status = 'requested')
                  LIMIT $2 FOR UPDATE OF o SKIP LOCKED) old
            WHERE o.id = old.id
            """),
        ("refunds", """
            UPDATE refunds r SET initiated_by = 'customer', reason = '(erased)'
            FROM (SELECT r.id FROM refunds r JOIN orders o ON o.id = r.order_id JOIN events e ON e.id = o.event_id
                  WHERE r.initiated_by LIKE 'user:%' AND r.status <> 'requested' AND r.created_at < $1 AND e.starts_at < $1
                  LIMIT $2 FOR UPDATE OF r SKIP LOCKED) old
            WHERE r.id = old.id
            """),
        ("tickets", """
            UPDATE tickets t SET owner_ref = 'erased', owner_email = NULL
            FROM (SELECT t.id FROM tickets t JOIN events e ON e.id = t.event_id
                  WHERE t.issued_at < $1 AND e.starts_at < $1 AND (t.owner_ref <> 'erased' OR t.owner_email IS NOT NULL)
                  LIMIT $2 FOR UPDATE OF t SKIP LOCKED) old
            WHERE t.id = old.id
            """),
        ("resale_listings", """
            UPDATE resale_listings l SET seller_ref = 'erased'
            FROM (SELECT l.id FROM resale_listings l JOIN events e ON e.id = l.event_id
                  WHERE l.status <> 'listed' AND coalesce(l.closed_at, l.created_at) < $1 AND e.starts_at < $1 AND l.seller_ref <> 'erased'
                  LIMIT $2 FOR UPDATE OF l SKIP LOCKED) old
            WHERE l.id = old.id
            """),
        ("ticket_transfers", """
            UPDATE ticket_transfers x SET from_ref = 'erased', to_email = 'erased', message = NULL,
                accepted_by = CASE WHEN x.accepted_by IS NULL THEN NULL ELSE 'erased' END
            FROM (SELECT x.id FROM ticket_transfers x JOIN events e ON e.id = x.event_id
                  WHERE x.status <> 'pending' AND coalesce(x.closed_at, x.created_at) < $1 AND e.starts_at < $1
                    AND (x.from_ref <> 'erased' OR x.to_email <> 'erased' OR x.message IS NOT NULL OR x.accepted_by <> 'erased')
                  LIMIT $2 FOR UPDATE OF x SKIP LOCKED) old
            WHERE x.id = old.id
            """),
        ("waitlist_entries", """
            UPDATE waitlist_entries w SET customer_email = NULL, customer_ref = 'erased', closed_detail = NULL
            FROM (SELECT id FROM waitlist_entries
                  WHERE status IN ('accepted', 'expired', 'left') AND coalesce(closed_at, joined_at) < $1
                    AND (customer_email IS NOT NULL OR customer_ref <> 'erased' OR closed_detail IS NOT NULL)
                  LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE w.id = old.id
            """),
        ("queue_entries", """
            DELETE FROM queue_entries q USING (
                SELECT q.event_id, q.position FROM queue_entries q JOIN events e ON e.id = q.event_id
                WHERE q.joined_at < $1 AND e.starts_at < $1
                LIMIT $2 FOR UPDATE OF q SKIP LOCKED) old
            WHERE q.event_id = old.event_id AND q.position = old.position
            """),
        ("lottery_entries", """
            DELETE FROM lottery_entries x USING (
                SELECT x.event_id, x.customer_ref FROM lottery_entries x JOIN events e ON e.id = x.event_id
                WHERE x.registered_at < $1 AND e.starts_at < $1
                LIMIT $2 FOR UPDATE OF x SKIP LOCKED) old
            WHERE x.event_id = old.event_id AND x.customer_ref = old.customer_ref
            """),
        ("group_quotes", """
            UPDATE group_quotes q SET contact_email = 'erased', note = NULL
            FROM (SELECT q.id FROM group_quotes q JOIN events e ON e.id = q.event_id
                  WHERE q.status <> 'open' AND coalesce(q.closed_at, q.due_at) < $1 AND e.starts_at < $1
                    AND (q.contact_email <> 'erased' OR q.note IS NOT NULL)
                  LIMIT $2 FOR UPDATE OF q SKIP LOCKED) old
            WHERE q.id = old.id
            """),
        ("pass_purchases", """
            UPDATE pass_purchases p SET customer_email = NULL, customer_ref = 'erased'
            FROM (SELECT p.id FROM pass_purchases p
                  WHERE coalesce(p.closed_at, p.expires_at) < $1 AND (p.customer_email IS NOT NULL OR p.customer_ref <> 'erased')
                    AND NOT EXISTS (SELECT 1 FROM pass_events pe JOIN events e ON e.id = pe.event_id WHERE pe.pass_id = p.pass_id AND e.starts_at >= $1)
                  LIMIT $2 FOR UPDATE OF p SKIP LOCKED) old
            WHERE p.id = old.id
            """),
        ("account_blocks", """
            DELETE FROM account_blocks b USING (
                SELECT customer_ref FROM account_blocks WHERE blocked_until < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE b.customer_ref = old.customer_ref
            """),
        ("outbox", """
            UPDATE outbox x SET payload = x.payload - 'customer_email' - 'customer_ref' - 'contact_email'
            FROM (SELECT id FROM outbox
                  WHERE processed_at < $1 AND payload ?| ARRAY['customer_email', 'customer_ref', 'contact_email']
                  LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE x.id = old.id
            """),
        ("webhook_messages", """
            UPDATE webhook_messages m SET payload = m.payload - 'customer_email' - 'customer_ref' - 'contact_email'
            FROM (SELECT id FROM webhook_messages
                  WHERE created_at < $1 AND payload ?| ARRAY['customer_email', 'customer_ref', 'contact_email']
                  LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE m.id = old.id
            """),
        ("mail_jobs", """
            DELETE FROM mail_jobs j USING (
                SELECT id FROM mail_jobs WHERE status <> 'pending' AND created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE j.id = old.id
            """),
        ("mailbox", """
            DELETE FROM mailbox m USING (
                SELECT id FROM mailbox WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE m.id = old.id
            """),
        ("audit_log", """
            UPDATE audit_log a SET client_ip = NULL, subject = CASE WHEN a.actor_kind IN ('customer', 'guest') THEN NULL ELSE a.subject END
            FROM (SELECT id FROM audit_log
                  WHERE at < $1 AND (client_ip IS NOT NULL OR (actor_kind IN ('customer', 'guest') AND subject IS NOT NULL))
                  LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE a.id = old.id
            """),
        ("login_throttle", """
            DELETE FROM login_throttle t USING (
                SELECT email_normalized FROM login_throttle WHERE updated_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE t.email_normalized = old.email_normalized
            """),
        ("pending_registrations", """
            DELETE FROM pending_registrations p USING (
                SELECT token_hash FROM pending_registrations WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) old
            WHERE p.token_hash = old.token_hash
            """),
    ];

    // accounts without a sign-in and without a hold since the cut-off; their sessions (OpenIddict tokens and
    // authorizations of the subject) go with them
    private const string DormantUsers = """
        SELECT u.id FROM users u
        WHERE coalesce(u.last_login_at, u.created_at) < $1
          AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.customer_ref = 'user:' || u.id::text AND h.created_at >= $1)
        LIMIT $2 FOR UPDATE SKIP LOCKED
        """;

    /// <summary>The tables a pass goes through, in order (the keys of <see cref="RunAsync"/>'s answer).</summary>
    public static IReadOnlyList<string> Tables { get; } = [.. Steps.Select(s => s.Table), "users"];

    /// <summary>
    /// Erases the personal data older than <paramref name="retentionDays"/> days; 0 or less keeps everything (nothing
    /// runs). Returns the rows changed or deleted per table, every table of <see cref="Tables"/> present.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> RunAsync(int retentionDays, int batchSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var counts = Tables.ToDictionary(t => t, _ => 0L, StringComparer.Ordinal);
        if (retentionDays <= 0)
        {
            return counts;
        }

        var cutoff = CutoffFor(retentionDays);
        foreach (var (table, sql) in Steps)
        {
            int changed;
            do
            {
                await using var cmd = db.CreateCommand(sql);
                cmd.Parameters.Add(new NpgsqlParameter { Value = cutoff });
                cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
                changed = await cmd.ExecuteNonQueryAsync(ct);
                counts[table] += changed;
            }
            while (changed == batchSize);
        }

        int erased;
        do
        {
            erased = await EraseDormantUsersAsync(cutoff, batchSize, ct);
            counts["users"] += erased;
        }
        while (erased == batchSize);

        return counts;
    }

    /// <summary>The instant before which personal data is erased: now minus <paramref name="retentionDays"/> days.</summary>
    public DateTimeOffset CutoffFor(int retentionDays) => time.GetUtcNow().AddDays(-retentionDays);

    private async Task<int> EraseDormantUsersAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ids = new List<Guid>();
        await using (var select = new NpgsqlCommand(DormantUsers, conn, tx))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = cutoff });
            select.Parameters.Add(new NpgsqlParameter { Value = batchSize });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        if (ids.Count > 0)
        {
            await PersonalData.DeleteAccountsAsync(conn, tx, [.. ids], ct);
        }

        await tx.CommitAsync(ct);
        return ids.Count;
    }
}
