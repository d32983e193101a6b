namespace TicketAspire.Inventory.Services;

/// <summary>
/// The seat claim: one statement, all or nothing. <c>target</c> locks every requested unit that is available now
/// (status 0, or held with an expired hold); the UPDATE claims them only if <c>target</c> found all of them, so a
/// partial claim never happens and nothing needs rolling back. Row locks are taken in a fixed order (reserved) or
/// skipping rows another claim holds (general admission), so concurrent claims neither deadlock nor queue on one row.
/// The purchase limit is part of the same statement: <c>already</c> counts the customer's tickets for the event (live
/// holds and valid tickets) and the claim takes nothing when they plus the request exceed the limit. Claims of one
/// customer for one event are serialized by <see cref="CustomerLock"/>, run first in the same transaction, so the count
/// (a fresh READ COMMITTED snapshot taken after the lock) cannot miss a concurrent claim.
/// </summary>
internal static class HoldSql
{
    /// <summary>$1 event, $2 seat ids, $3 now.</summary>
    public const string ReservedTarget = """
        target AS (
            SELECT id FROM seats
            WHERE event_id = $1 AND id = ANY($2) AND (status = 0 OR (status = 1 AND hold_expires_at <= $3))
            ORDER BY id
            FOR UPDATE),
        wanted AS (SELECT cardinality($2::uuid[]) AS n)
        """;

    /// <summary>
    /// $1 event, $2 class ids, $3 now, $10 quantities and $13 start ordinals (parallel to $2). General-admission tickets
    /// are interchangeable, so each claim starts at a random ordinal of its class (<c>upper</c>) and wraps around below it
    /// (<c>lower</c>, only for what <c>upper</c> could not find): concurrent claims spread over the class instead of all
    /// fighting for its lowest free rows, and a claim late in a sale walks past about 1 / (share still free) rows instead
    /// of every ticket sold before it.
    /// </summary>
    public const string GeneralAdmissionTarget = """
        want AS (SELECT * FROM unnest($2::uuid[], $10::int[], $13::int[]) AS w (class_id, qty, start)),
        upper AS (
            SELECT w.class_id, t.id FROM want w CROSS JOIN LATERAL (
                SELECT s.id FROM seats s
                WHERE s.class_id = w.class_id AND s.event_id = $1 AND s.status <> 2 AND s.ordinal >= w.start
                  AND (s.status = 0 OR s.hold_expires_at <= $3)
                ORDER BY s.ordinal
                LIMIT w.qty
                FOR UPDATE SKIP LOCKED) t),
        lower AS (
            SELECT t.id FROM want w CROSS JOIN LATERAL (
                SELECT s.id FROM seats s
                WHERE s.class_id = w.class_id AND s.event_id = $1 AND s.status <> 2 AND s.ordinal < w.start
                  AND (s.status = 0 OR s.hold_expires_at <= $3)
                ORDER BY s.ordinal
                LIMIT greatest(w.qty - (SELECT count(*) FROM upper u WHERE u.class_id = w.class_id), 0)
                FOR UPDATE SKIP LOCKED) t),
        target AS (SELECT id FROM upper UNION ALL SELECT id FROM lower),
        wanted AS (SELECT sum(qty)::int AS n FROM want)
        """;

    /// <summary>$1 customer ref, $2 event: a transaction-scoped lock on (customer, event), released at commit.</summary>
    public const string CustomerLock = "SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2::text, 0))";

    /// <summary>
    /// $1 event, $3 now, $4 hold id, $5 expiry, $6 customer ref, $7 currency, $8 outbox payload, $9 customer e-mail,
    /// $11 the customer's ticket limit for the event. Rows: (true, seat…) claimed; (false, id) free seats of a claim that
    /// could not be completed; (null, …, already) the limit refused the claim (already in the price column).
    /// </summary>
    public const string ClaimTail = """
        already AS (
            SELECT (SELECT count(*) FROM holds h JOIN hold_items i ON i.hold_id = h.id
                    WHERE h.customer_ref = $6 AND h.event_id = $1 AND h.status = 0 AND h.expires_at > $3)
                 + (SELECT count(*) FROM orders o JOIN tickets tk ON tk.order_id = o.id
                    WHERE o.customer_ref = $6 AND o.event_id = $1 AND tk.status = 'valid') AS n),
        ok AS (SELECT (SELECT count(*) FROM target) = (SELECT n FROM wanted) AS all_found,
                      (SELECT n FROM already) + (SELECT n FROM wanted) <= $11 AS within_limit),
        claimed AS (
            UPDATE seats s SET status = 1, hold_id = $4, hold_expires_at = $5, version = s.version + 1
            FROM target t WHERE s.id = t.id AND (SELECT all_found AND within_limit FROM ok)
            RETURNING s.id, s.class_id, s.price_minor, s.section, s.row_label, s.number),
        hold AS (
            INSERT INTO holds (id, event_id, customer_ref, customer_email, status, expires_at, total_minor, currency, created_at)
            SELECT $4, $1, $6, $9, 0, $5, coalesce(sum(price_minor), 0), $7, $3 FROM claimed
            HAVING count(*) > 0),
        items AS (
            INSERT INTO hold_items (hold_id, seat_id, class_id, price_minor)
            SELECT $4, id, class_id, price_minor FROM claimed),
        outbox AS (
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            SELECT 'hold.created', $4, $1, $8::jsonb || jsonb_build_object('seat_ids', jsonb_agg(id)), $3 FROM claimed
            HAVING count(*) > 0)
        SELECT true, id, class_id, price_minor, section, row_label, number FROM claimed
        UNION ALL
        SELECT false, id, NULL, NULL, NULL, NULL, NULL FROM target WHERE NOT (SELECT all_found FROM ok)
        UNION ALL
        SELECT NULL, NULL, NULL, (SELECT n FROM already), NULL, NULL, NULL WHERE NOT (SELECT within_limit FROM ok)
        """;

    public const string Reserved = "WITH " + ReservedTarget + ",\n" + ClaimTail;

    public const string GeneralAdmission = "WITH " + GeneralAdmissionTarget + ",\n" + ClaimTail;

    /// <summary>
    /// <see cref="Reserved"/> for an event with a waiting room: $12 is the admission token's id. The claim takes nothing
    /// unless the token's queue entry is unused, unexpired and the customer's (row locked, so a concurrent claim with the
    /// same token waits and then finds it used), and marks it used with the hold in the same statement. An extra row
    /// (null, …, -1) says the entry was not usable.
    /// </summary>
    public static readonly string ReservedAdmitted = WithAdmission(Reserved);

    /// <summary><see cref="GeneralAdmission"/> with the admission token spent as in <see cref="ReservedAdmitted"/>.</summary>
    public static readonly string GeneralAdmissionAdmitted = WithAdmission(GeneralAdmission);

    /// <summary>The value in the <c>already</c> column of the row that says the admission entry was not usable.</summary>
    public const long AdmissionRefused = -1;

    private static string WithAdmission(string claim) => claim
        .ReplaceOnce("""
            ok AS (SELECT (SELECT count(*) FROM target) = (SELECT n FROM wanted) AS all_found,
            """, """
            admission AS (
                SELECT token_id FROM queue_entries
                WHERE token_id = $12 AND event_id = $1 AND customer_ref = $6 AND used_at IS NULL AND token_expires_at > $3
                FOR UPDATE),
            ok AS (SELECT EXISTS (SELECT 1 FROM admission) AND (SELECT count(*) FROM target) = (SELECT n FROM wanted) AS all_found,
            """)
        .ReplaceOnce("""
            outbox AS (
            """, """
            spent AS (
                UPDATE queue_entries SET used_at = $3, hold_id = $4
                WHERE token_id = (SELECT token_id FROM admission) AND EXISTS (SELECT 1 FROM claimed)),
            outbox AS (
            """)
        + "\nUNION ALL\nSELECT NULL, NULL, NULL, -1, NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM admission)";

    private static string ReplaceOnce(this string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(from, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"HoldSql: the claim does not contain exactly one '{from.Trim()}'");
        }

        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
