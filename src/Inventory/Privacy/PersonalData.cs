using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Privacy;

/// <summary>
/// One end user's data in their reseller's database: everything the platform holds about them, as one JSON document
/// (<see cref="ExportAsync"/>), and its erasure (<see cref="EraseAsync"/>): the account and its sessions deleted, the
/// personal data of their holds, orders, refunds, waitlist entries, queue places, tickets they own, resale listings,
/// transfers, e-mails and audit rows erased or anonymised as the retention pass does (<see cref="RetentionSweeper"/>),
/// the amounts kept for accounting.
/// </summary>
public sealed class PersonalData(NpgsqlDataSource db, TimeProvider time)
{
    private const string ExportSql = """
        WITH account AS (SELECT id, email, display_name, created_at, last_login_at FROM users WHERE id = $1)
        SELECT jsonb_build_object(
            'account', (SELECT to_jsonb(a) FROM account a),
            'holds', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', h.id, 'event_id', h.event_id,
                    'status', CASE h.status WHEN 0 THEN 'active' WHEN 1 THEN 'confirmed' WHEN 2 THEN 'cancelled' ELSE 'expired' END,
                    'customer_email', h.customer_email, 'total_minor', h.total_minor, 'currency', h.currency,
                    'created_at', h.created_at, 'expires_at', h.expires_at, 'closed_at', h.closed_at, 'order_id', h.order_id)
                ORDER BY h.created_at, h.id) FROM holds h WHERE h.customer_ref = $2), '[]'::jsonb),
            'orders', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', o.id, 'event_id', o.event_id, 'event_name', e.name, 'event_starts_at', e.starts_at, 'status', o.status,
                    'customer_email', o.customer_email, 'total_minor', o.total_minor, 'currency', o.currency, 'created_at', o.created_at,
                    'tickets', coalesce((SELECT jsonb_agg(jsonb_build_object(
                            'id', t.id, 'seat_id', t.seat_id, 'class_id', t.class_id, 'price_minor', t.price_minor, 'currency', t.currency,
                            'code', t.code, 'status', t.status, 'issued_at', t.issued_at) ORDER BY t.issued_at, t.id)
                        FROM tickets t WHERE t.order_id = o.id), '[]'::jsonb),
                    'refunds', coalesce((SELECT jsonb_agg(jsonb_build_object(
                            'id', r.id, 'amount_minor', r.amount_minor, 'currency', r.currency, 'reason', r.reason, 'status', r.status,
                            'created_at', r.created_at, 'completed_at', r.completed_at) ORDER BY r.created_at)
                        FROM refunds r WHERE r.order_id = o.id), '[]'::jsonb))
                ORDER BY o.created_at, o.id) FROM orders o JOIN events e ON e.id = o.event_id WHERE o.customer_ref = $2), '[]'::jsonb),
            'waitlist_entries', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', w.id, 'event_id', w.event_id, 'class_id', w.class_id, 'customer_email', w.customer_email, 'quantity', w.quantity,
                    'status', w.status, 'joined_at', w.joined_at, 'closed_at', w.closed_at) ORDER BY w.joined_at, w.id)
                FROM waitlist_entries w WHERE w.customer_ref = $2), '[]'::jsonb),
            'tickets_owned', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', t.id, 'event_id', t.event_id, 'seat_id', t.seat_id, 'order_id', t.order_id, 'origin', t.origin,
                    'owner_email', t.owner_email, 'code', CASE WHEN t.status = 'valid' THEN t.code END, 'status', t.status,
                    'issued_at', t.issued_at, 'replaced_at', t.replaced_at) ORDER BY t.issued_at, t.id)
                FROM tickets t WHERE t.owner_ref = $2), '[]'::jsonb),
            'resale_listings', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', l.id, 'ticket_id', l.ticket_id, 'event_id', l.event_id, 'asking_minor', l.asking_minor, 'face_minor', l.face_minor,
                    'currency', l.currency, 'status', l.status, 'created_at', l.created_at, 'closed_at', l.closed_at) ORDER BY l.created_at, l.id)
                FROM resale_listings l WHERE l.seller_ref = $2), '[]'::jsonb),
            'transfers_sent', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', x.id, 'ticket_id', x.ticket_id, 'event_id', x.event_id, 'to_email', x.to_email, 'message', x.message,
                    'status', x.status, 'created_at', x.created_at, 'expires_at', x.expires_at, 'closed_at', x.closed_at) ORDER BY x.created_at, x.id)
                FROM ticket_transfers x WHERE x.from_ref = $2), '[]'::jsonb),
            'transfers_received', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', x.id, 'event_id', x.event_id, 'to_email', x.to_email, 'message', x.message, 'status', x.status,
                    'created_at', x.created_at, 'closed_at', x.closed_at, 'new_ticket_id', x.new_ticket_id) ORDER BY x.created_at, x.id)
                FROM ticket_transfers x
                WHERE x.accepted_by = $2 OR EXISTS (SELECT 1 FROM account a WHERE lower(x.to_email) = lower(a.email))), '[]'::jsonb),
            'pass_purchases', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', p.id, 'pass_id', p.pass_id, 'customer_email', p.customer_email, 'status', p.status, 'section', p.section,
                    'row', p.row_label, 'number', p.number, 'total_minor', p.total_minor, 'currency', p.currency, 'created_at', p.created_at,
                    'expires_at', p.expires_at, 'paid_at', p.paid_at) ORDER BY p.created_at, p.id)
                FROM pass_purchases p WHERE p.customer_ref = $2), '[]'::jsonb),
            'lottery_entries', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'event_id', x.event_id, 'customer_email', x.customer_email, 'registered_at', x.registered_at, 'rank', x.rank, 'won', x.won)
                ORDER BY x.registered_at) FROM lottery_entries x WHERE x.customer_ref = $2), '[]'::jsonb),
            'queue_entries', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'event_id', q.event_id, 'position', q.position, 'joined_at', q.joined_at, 'admitted_at', q.admitted_at, 'used_at', q.used_at)
                ORDER BY q.joined_at) FROM queue_entries q WHERE q.customer_ref = $2), '[]'::jsonb),
            'mailbox', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', m.id, 'kind', m.kind, 'from', m.from_address, 'to', m.to_address, 'subject', m.subject,
                    'text_body', m.text_body, 'order_id', m.order_id, 'created_at', m.created_at) ORDER BY m.created_at, m.id)
                FROM mailbox m JOIN account a ON lower(m.to_address) = lower(a.email)), '[]'::jsonb))::text
        """;

    // $1: user id, $2: customer reference (user:<id>), $3: the account's e-mail address (null without an account), $4: now
    private static readonly string[] EraseSql =
    [
        "UPDATE holds SET customer_email = NULL, customer_ref = 'erased' WHERE customer_ref = $2",
        "UPDATE orders SET customer_email = NULL, customer_ref = 'erased' WHERE customer_ref = $2",
        "UPDATE refunds SET initiated_by = 'customer', reason = '(erased)' WHERE initiated_by = $2",
        "UPDATE pass_purchases SET customer_email = NULL, customer_ref = 'erased' WHERE customer_ref = $2",
        """
        UPDATE waitlist_entries SET status = 'left', closed_at = $4
        WHERE customer_ref = $2 AND status IN ('waiting', 'offered')
        """,
        "UPDATE waitlist_entries SET customer_email = NULL, customer_ref = 'erased', closed_detail = NULL WHERE customer_ref = $2",
        // pending transfers from or to the end user are cancelled (their e-mailed code dies with the mailbox), then every
        // transfer that names them is anonymised
        """
        UPDATE ticket_transfers SET status = 'cancelled', closed_at = $4
        WHERE status = 'pending' AND (from_ref = $2 OR ($3::text IS NOT NULL AND lower(to_email) = lower($3)))
        """,
        "UPDATE ticket_transfers SET from_ref = 'erased', message = NULL WHERE from_ref = $2",
        "UPDATE ticket_transfers SET to_email = 'erased' WHERE $3::text IS NOT NULL AND lower(to_email) = lower($3)",
        "UPDATE ticket_transfers SET accepted_by = 'erased' WHERE accepted_by = $2",
        "UPDATE resale_listings SET seller_ref = 'erased' WHERE seller_ref = $2",
        "UPDATE tickets SET owner_ref = 'erased', owner_email = NULL WHERE owner_ref = $2",
        "DELETE FROM queue_entries WHERE customer_ref = $2",
        "DELETE FROM lottery_entries WHERE customer_ref = $2",
        "DELETE FROM account_blocks WHERE customer_ref = $2",
        """
        UPDATE outbox SET payload = payload - 'customer_email' - 'customer_ref'
        WHERE payload->>'customer_ref' = $2 OR ($3::text IS NOT NULL AND lower(payload->>'customer_email') = lower($3))
        """,
        """
        UPDATE webhook_messages SET payload = payload - 'customer_email' - 'customer_ref'
        WHERE payload->>'customer_ref' = $2 OR ($3::text IS NOT NULL AND lower(payload->>'customer_email') = lower($3))
        """,
        "DELETE FROM mail_jobs WHERE $3::text IS NOT NULL AND lower(to_address) = lower($3)",
        "DELETE FROM mailbox WHERE $3::text IS NOT NULL AND lower(to_address) = lower($3)",
        "UPDATE audit_log SET subject = NULL, client_ip = NULL WHERE actor_kind = 'customer' AND subject = $1::text",
        "DELETE FROM pending_registrations WHERE $3::text IS NOT NULL AND email_normalized = lower($3)",
    ];

    /// <summary>Everything held about end user <paramref name="userId"/> as a JSON object (account null when it is gone).</summary>
    public async Task<JsonElement> ExportAsync(Guid userId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(ExportSql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = CustomerRefOf(userId) });
        var json = (string)(await cmd.ExecuteScalarAsync(ct))!;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Erases end user <paramref name="userId"/>'s personal data and deletes their account and sessions, in one
    /// transaction; their open resale listings are withdrawn first. Idempotent: erasing a user that is gone changes
    /// nothing. Refused (<see cref="ErrorCodes.ErasureBlocked"/>, nothing changed) while a buyer's hold on one of their
    /// listings is live: the buyer may be paying, and the sale must know its seller; the hold lapses within minutes.
    /// </summary>
    public async Task<InventoryError?> EraseAsync(Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        string? email;
        await using (var account = new NpgsqlCommand("SELECT email FROM users WHERE id = $1 FOR UPDATE", conn, tx))
        {
            account.Parameters.Add(new NpgsqlParameter { Value = userId });
            email = (string?)await account.ExecuteScalarAsync(ct);
        }

        // withdraw the open listings no buyer holds; one still listed after that is being bought (the conditional update
        // and a buyer's hold claim lock the same row, so no hold can slip in between)
        await using (var withdraw = new NpgsqlCommand("""
            WITH withdrawn AS (
                UPDATE resale_listings SET status = 'withdrawn', closed_at = $2, hold_id = NULL, hold_expires_at = NULL
                WHERE seller_ref = $1 AND status = 'listed' AND (hold_id IS NULL OR hold_expires_at <= $2)
                RETURNING id)
            SELECT max(l.hold_expires_at) FROM resale_listings l
            WHERE l.seller_ref = $1 AND l.status = 'listed' AND l.id NOT IN (SELECT id FROM withdrawn)
            """, conn, tx))
        {
            withdraw.Parameters.Add(new NpgsqlParameter { Value = CustomerRefOf(userId) });
            withdraw.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            if (await withdraw.ExecuteScalarAsync(ct) is DateTime heldUntil)
            {
                await tx.RollbackAsync(ct);
                var wait = new DateTimeOffset(heldUntil, TimeSpan.Zero) - time.GetUtcNow();
                return new InventoryError(ErrorCodes.ErasureBlocked,
                    $"A buyer is paying for one of your resale listings (their hold lasts until {heldUntil:O}); try again after that.",
                    RetryAfterSeconds: Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
            }
        }

        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            foreach (var sql in EraseSql)
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter { Value = userId });
                command.Parameters.Add(new NpgsqlParameter { Value = CustomerRefOf(userId) });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)email ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(ct);
        }

        await DeleteAccountsAsync(conn, tx, [userId], ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>The customer reference of end user <paramref name="userId"/>'s holds and orders.</summary>
    public static string CustomerRefOf(Guid userId) => "user:" + userId.ToString("D");

    /// <summary>
    /// Deletes the accounts <paramref name="ids"/> with their sessions (OpenIddict tokens, then authorizations, of the
    /// subject) and their sign-in throttle rows, inside <paramref name="tx"/>.
    /// </summary>
    internal static async Task DeleteAccountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid[] ids, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var sql in new[]
        {
            "DELETE FROM \"OpenIddictTokens\" WHERE \"Subject\" = ANY ($1)",
            "DELETE FROM \"OpenIddictAuthorizations\" WHERE \"Subject\" = ANY ($1)",
            "DELETE FROM login_throttle WHERE email_normalized IN (SELECT email_normalized FROM users WHERE id = ANY ($2))",
            "DELETE FROM users WHERE id = ANY ($2)",
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(i => i.ToString("D")).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }
}
