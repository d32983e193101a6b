using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Vouchers;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// The seat claim: one statement, all or nothing, composed from named fragments. <see cref="ReservedTarget"/> or
/// <see cref="GeneralAdmissionTarget"/> locks every requested unit that is available now (available, or held with an
/// expired hold); <see cref="Claim"/> takes them only if the target found all of them, so a partial claim never happens
/// and nothing needs rolling back. Row locks are taken in a fixed order (reserved) or skipping rows another claim holds
/// (general admission), so concurrent claims neither deadlock nor queue on one row.
/// </summary>
/// <remarks>
/// Every rule that decides whether a claim may take its units is a fragment here, decided in the same statement:
/// <list type="bullet">
/// <item><see cref="PurchaseLimit"/>: the customer's live holds and valid tickets for the event plus the request stay
/// within the limit. Claims of one customer for one event are serialized by <see cref="CustomerLock"/>, run first in the
/// same transaction, so the count (a fresh READ COMMITTED snapshot taken after the lock) cannot miss a concurrent claim.</item>
/// <item><see cref="Admission"/> (events with a waiting room): the admission token's queue entry is unused, unexpired and
/// the customer's; it is row locked and spent with the hold (<see cref="SpendAdmission"/>).</item>
/// </list>
/// Status values come from <see cref="SeatStatus"/> and <see cref="HoldStatus"/>; parameters are named
/// (<see cref="NamedSql"/>). Result rows: (true, seat…) claimed; (false, id) free units of a claim that could not be
/// completed; (null, …, n) the purchase limit refused it with n already held or bought; (null, …, -1) the admission entry
/// was not usable.
/// </remarks>
internal static class ClaimSql
{
    private static readonly string Available = ((int)SeatStatus.Available).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Held = ((int)SeatStatus.Held).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Sold = ((int)SeatStatus.Sold).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string ActiveHold = ((int)HoldStatus.Active).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string ConfirmedHold = ((int)HoldStatus.Confirmed).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The value in the <c>already</c> column of the row that says the admission entry was not usable.</summary>
    public const long AdmissionRefused = -1;

    /// <summary>The value in the <c>already</c> column of the row that says the voucher was refused (its reason in the last column).</summary>
    public const long VoucherRefused = -2;

    /// <summary>
    /// Row lock on the voucher @voucher_code of @event_id, taken before the claim in the same transaction: claims redeeming one
    /// voucher are serialized, so the claim's count of its uses (a fresh READ COMMITTED snapshot taken after the lock) cannot
    /// miss a concurrent redemption.
    /// </summary>
    public static readonly NamedSql VoucherLock = NamedSql.Compile(
        "SELECT count(*) FROM (SELECT 1 FROM vouchers WHERE event_id = @event_id AND code = @voucher_code FOR UPDATE) v");

    /// <summary>A transaction-scoped lock on (customer, event), released at commit.</summary>
    public static readonly NamedSql CustomerLock = NamedSql.Compile("SELECT pg_advisory_xact_lock(hashtextextended(@customer_ref || ':' || @event_id::text, 0))");

    /// <summary>
    /// @seat_ids of the event, available or held past expiry, plus the available companion seats of any wheelchair seat among
    /// them, locked in id order; <c>wanted</c> their count. Accessible seating: a companion seat is claimable only together
    /// with its wheelchair seat (a companion asked for alone is never found, so the claim fails); a wheelchair seat may be
    /// held without a companion that is taken, its free companions join the same all-or-nothing claim. Because the companions
    /// are counted into <c>wanted</c> only when found, they never make the claim fail, and they count toward the purchase limit.
    /// </summary>
    public static readonly string ReservedTarget = $"""
        target AS (
            SELECT id FROM seats
            WHERE event_id = @event_id AND (id = ANY(@seat_ids) OR companion_of = ANY(@seat_ids))
              AND (companion_of IS NULL OR companion_of = ANY(@seat_ids))
              AND (status = {Available} OR (status = {Held} AND hold_expires_at <= @now))
            ORDER BY id
            FOR UPDATE),
        wanted AS (SELECT cardinality(@seat_ids::uuid[]) + (SELECT count(*) FROM target WHERE NOT (id = ANY(@seat_ids)))::int AS n)
        """;

    /// <summary>
    /// @class_ids with @quantities and @starts (parallel arrays). General-admission tickets are interchangeable, so each
    /// claim starts at a random ordinal of its class (<c>upper</c>) and wraps around below it (<c>lower</c>, only for what
    /// <c>upper</c> could not find): concurrent claims spread over the class instead of all fighting for its lowest free
    /// rows, and a claim late in a sale walks past about 1 / (share still free) rows instead of every ticket sold before it.
    /// </summary>
    public static readonly string GeneralAdmissionTarget = $"""
        want AS (SELECT * FROM unnest(@class_ids::uuid[], @quantities::int[], @starts::int[]) AS w (class_id, qty, start)),
        upper AS (
            SELECT w.class_id, t.id FROM want w CROSS JOIN LATERAL (
                SELECT s.id FROM seats s
                WHERE s.class_id = w.class_id AND s.event_id = @event_id AND s.status <> {Sold} AND s.ordinal >= w.start
                  AND (s.status = {Available} OR s.hold_expires_at <= @now)
                ORDER BY s.ordinal
                LIMIT w.qty
                FOR UPDATE SKIP LOCKED) t),
        lower AS (
            SELECT t.id FROM want w CROSS JOIN LATERAL (
                SELECT s.id FROM seats s
                WHERE s.class_id = w.class_id AND s.event_id = @event_id AND s.status <> {Sold} AND s.ordinal < w.start
                  AND (s.status = {Available} OR s.hold_expires_at <= @now)
                ORDER BY s.ordinal
                LIMIT greatest(w.qty - (SELECT count(*) FROM upper u WHERE u.class_id = w.class_id), 0)
                FOR UPDATE SKIP LOCKED) t),
        target AS (SELECT id FROM upper UNION ALL SELECT id FROM lower),
        wanted AS (SELECT sum(qty)::int AS n FROM want)
        """;

    /// <summary>The admission entry of @admission_token_id, usable by this customer now (row locked), or no row.</summary>
    public static readonly string Admission = """
        admission AS (
            SELECT token_id FROM queue_entries
            WHERE token_id = @admission_token_id AND event_id = @event_id AND customer_ref = @customer_ref
              AND used_at IS NULL AND token_expires_at > @now
            FOR UPDATE),
        admitted AS (SELECT EXISTS (SELECT 1 FROM admission) AS ok)
        """;

    /// <summary>No waiting room: every claim is admitted.</summary>
    public const string NoAdmission = "admitted AS (SELECT true AS ok)";

    /// <summary>The customer's tickets for the event (live holds and valid tickets) and whether the request fits @limit.</summary>
    public static readonly string PurchaseLimit = $"""
        already AS (
            SELECT (SELECT count(*) FROM holds h JOIN hold_items i ON i.hold_id = h.id
                    WHERE h.customer_ref = @customer_ref AND h.event_id = @event_id AND h.status = {ActiveHold} AND h.expires_at > @now)
                 + (SELECT count(*) FROM orders o JOIN tickets tk ON tk.order_id = o.id
                    WHERE o.customer_ref = @customer_ref AND o.event_id = @event_id AND tk.status = 'valid') AS n),
        within_limit AS (SELECT (SELECT n FROM already) + (SELECT n FROM wanted) <= @limit AS ok)
        """;

    /// <summary>
    /// The multiplier the claim applies, basis points of face value: where @dynamic_pricing (the reseller's rule) is on and
    /// the event opted in, the worker's multiplier clamped to @min_bp..@max_bp (the jurisdiction's range) and then to the
    /// event's own cap; otherwise face value. Read in the claim itself: a primary-key lookup, no round trip, and a cap the
    /// organizer lowered applies to the next claim.
    /// </summary>
    public const string Pricing = """
        pricing AS (
            SELECT CASE WHEN @dynamic_pricing THEN coalesce((
                SELECT least(greatest(p.multiplier_bp, @min_bp), @max_bp, coalesce(e.dynamic_price_max_percent * 100, @max_bp))
                FROM events e JOIN event_prices p ON p.event_id = e.id
                WHERE e.id = @event_id AND e.dynamic_pricing), 10000) ELSE 10000 END AS bp)
        """;

    /// <summary>
    /// The voucher @voucher_code of the event (row locked by <see cref="VoucherLock"/>), its uses now (redemptions whose hold
    /// is live or confirmed: a lapsed, cancelled or released hold gave its use back), and whether this claim may redeem it:
    /// <c>refusal</c> 0, or a <see cref="VoucherRefusal"/>. The customer's own uses are exact because the customer lock
    /// serializes the customer's claims for the event (a voucher belongs to one event).
    /// </summary>
    public static readonly string Voucher = $"""
        voucher AS (
            SELECT v.id, v.class_id, v.kind, v.percent_off, v.amount_off_minor, v.max_uses, v.max_uses_per_customer,
                   v.disabled_at IS NULL AND (v.valid_from IS NULL OR v.valid_from <= @now) AND (v.valid_until IS NULL OR @now < v.valid_until) AS open
            FROM vouchers v WHERE v.event_id = @event_id AND v.code = @voucher_code),
        voucher_uses AS (
            SELECT count(*) AS total, count(*) FILTER (WHERE r.customer_ref = @customer_ref) AS mine
            FROM voucher_redemptions r JOIN holds h ON h.id = r.hold_id
            WHERE r.voucher_id = (SELECT id FROM voucher)
              AND (h.status = {ConfirmedHold} OR (h.status = {ActiveHold} AND h.expires_at > @now))),
        voucher_check AS (
            SELECT CASE
                WHEN NOT EXISTS (SELECT 1 FROM voucher) THEN {(int)VoucherRefusal.Unknown}
                WHEN NOT (SELECT open FROM voucher) THEN {(int)VoucherRefusal.NotValidNow}
                WHEN (SELECT max_uses FROM voucher) <= (SELECT total FROM voucher_uses) THEN {(int)VoucherRefusal.Exhausted}
                WHEN (SELECT max_uses_per_customer FROM voucher) <= (SELECT mine FROM voucher_uses) THEN {(int)VoucherRefusal.CustomerLimit}
                WHEN (SELECT class_id FROM voucher) IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM target t JOIN seats s ON s.id = t.id WHERE s.class_id = (SELECT class_id FROM voucher))
                     THEN {(int)VoucherRefusal.NotApplicable}
                ELSE 0 END AS refusal)
        """;

    /// <summary>
    /// Each claimed unit's discount: a percentage off every eligible unit (rounded down per unit), a fixed amount off the
    /// eligible units cheapest first (never more than they cost), or the cheapest eligible unit free. Eligible: every unit, or
    /// the units of the voucher's class.
    /// </summary>
    public const string Discount = """
        eligible AS (
            SELECT c.id, c.price_minor, row_number() OVER w AS n,
                   coalesce(sum(c.price_minor) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM claimed c WHERE (SELECT class_id FROM voucher) IS NULL OR c.class_id = (SELECT class_id FROM voucher)
            WINDOW w AS (ORDER BY c.price_minor, c.id)),
        discounted AS (
            SELECT c.id, c.class_id, c.price_minor, c.section, c.row_label, c.number, c.base_price_minor,
                   coalesce(CASE v.kind
                       WHEN 'percentage' THEN e.price_minor * v.percent_off / 100
                       WHEN 'fixed_amount' THEN least(e.price_minor, greatest(v.amount_off_minor - e.before, 0))
                       ELSE CASE WHEN e.n = 1 THEN e.price_minor ELSE 0 END END, 0)::bigint AS discount_minor
            FROM claimed c LEFT JOIN eligible e ON e.id = c.id CROSS JOIN voucher v)
        """;

    /// <summary>
    /// Takes the target's units for hold @hold_id until @expires_at, if admitted, complete and within the limit, at the
    /// face value times the multiplier, rounded down to the minor unit.
    /// </summary>
    public static readonly string Claim = ClaimWhere("", "");

    /// <summary>As <see cref="Claim"/>, and only if the voucher of <see cref="Voucher"/> may be redeemed.</summary>
    public static readonly string VoucherClaim = ClaimWhere(",\n                      (SELECT refusal FROM voucher_check) = 0 AS voucher_ok", " AND voucher_ok");

    private static string ClaimWhere(string extraColumn, string extraCondition) => $"""
        ok AS (SELECT (SELECT ok FROM admitted) AND (SELECT count(*) FROM target) = (SELECT n FROM wanted) AS all_found,
                      (SELECT ok FROM within_limit) AS within_limit{extraColumn}),
        claimed AS (
            UPDATE seats s SET status = {Held}, hold_id = @hold_id, hold_expires_at = @expires_at, version = s.version + 1
            FROM target t WHERE s.id = t.id AND (SELECT all_found AND within_limit{extraCondition} FROM ok)
            RETURNING s.id, s.class_id, s.price_minor * (SELECT bp FROM pricing) / 10000 AS price_minor, s.section, s.row_label, s.number,
                      s.price_minor AS base_price_minor)
        """;

    /// <summary>The hold, its items and its <c>hold.created</c> outbox row (@outbox_payload plus the seat ids).</summary>
    public static readonly string Record = $"""
        hold AS (
            INSERT INTO holds (id, event_id, customer_ref, customer_email, status, expires_at, total_minor, currency, created_at, price_multiplier_bp)
            SELECT @hold_id, @event_id, @customer_ref, @customer_email, {ActiveHold}, @expires_at, coalesce(sum(price_minor), 0), @currency, @now,
                   (SELECT bp FROM pricing)
            FROM claimed
            HAVING count(*) > 0),
        items AS (
            INSERT INTO hold_items (hold_id, seat_id, class_id, price_minor, base_price_minor)
            SELECT @hold_id, id, class_id, price_minor, base_price_minor FROM claimed),
        outbox AS (
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            SELECT 'hold.created', @hold_id, @event_id, @outbox_payload::jsonb || jsonb_build_object('seat_ids', jsonb_agg(id)), @now
            FROM claimed
            HAVING count(*) > 0)
        """;

    /// <summary>
    /// As <see cref="Record"/>, with the voucher: the hold's total and its items' prices after the discount, each item's
    /// discount beside it, and the redemption.
    /// </summary>
    public static readonly string VoucherRecord = $"""
        hold AS (
            INSERT INTO holds (id, event_id, customer_ref, customer_email, status, expires_at, total_minor, currency, created_at, price_multiplier_bp, discount_minor)
            SELECT @hold_id, @event_id, @customer_ref, @customer_email, {ActiveHold}, @expires_at, coalesce(sum(price_minor - discount_minor), 0), @currency, @now,
                   (SELECT bp FROM pricing), coalesce(sum(discount_minor), 0)
            FROM discounted
            HAVING count(*) > 0),
        items AS (
            INSERT INTO hold_items (hold_id, seat_id, class_id, price_minor, base_price_minor, discount_minor)
            SELECT @hold_id, id, class_id, price_minor - discount_minor, base_price_minor, discount_minor FROM discounted),
        outbox AS (
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            SELECT 'hold.created', @hold_id, @event_id, @outbox_payload::jsonb || jsonb_build_object('seat_ids', jsonb_agg(id), 'voucher_code', @voucher_code), @now
            FROM claimed
            HAVING count(*) > 0),
        redemption AS (
            INSERT INTO voucher_redemptions (hold_id, voucher_id, customer_ref, discount_minor, created_at)
            SELECT @hold_id, (SELECT id FROM voucher), @customer_ref, coalesce(sum(discount_minor), 0), @now
            FROM discounted
            HAVING count(*) > 0)
        """;

    /// <summary>Marks the admission entry used by the hold, when the claim took its units.</summary>
    public const string SpendAdmission = """
        spent AS (
            UPDATE queue_entries SET used_at = @now, hold_id = @hold_id
            WHERE token_id = (SELECT token_id FROM admission) AND EXISTS (SELECT 1 FROM claimed))
        """;

    /// <summary>The claim's answer rows.</summary>
    public const string Answer = """
        SELECT true, id, class_id, price_minor, section, row_label, number, base_price_minor, (SELECT bp FROM pricing) FROM claimed
        UNION ALL
        SELECT false, id, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM target WHERE NOT (SELECT all_found FROM ok)
        UNION ALL
        SELECT NULL, NULL, NULL, (SELECT n FROM already), NULL, NULL, NULL, NULL, NULL WHERE NOT (SELECT within_limit FROM ok)
        """;

    /// <summary>The extra answer row when the admission entry was not usable.</summary>
    public const string AdmissionAnswer = """

        UNION ALL
        SELECT NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM admission)
        """;

    /// <summary>
    /// The answer rows of a claim with a voucher: as <see cref="Answer"/> with each unit's discount in a tenth column (its
    /// price already after it), and a row (null, …, <see cref="VoucherRefused"/>, …, reason) when the voucher was refused.
    /// </summary>
    public static readonly string VoucherAnswer = $"""
        SELECT true, id, class_id, price_minor - discount_minor, section, row_label, number, base_price_minor, (SELECT bp FROM pricing), discount_minor FROM discounted
        UNION ALL
        SELECT false, id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM target WHERE NOT (SELECT all_found FROM ok)
        UNION ALL
        SELECT NULL, NULL, NULL, (SELECT n FROM already), NULL, NULL, NULL, NULL, NULL, NULL WHERE NOT (SELECT within_limit FROM ok)
        UNION ALL
        SELECT NULL, NULL, NULL, {VoucherRefused}, NULL, NULL, NULL, NULL, NULL, (SELECT refusal FROM voucher_check)::bigint WHERE NOT (SELECT voucher_ok FROM ok)
        """;

    /// <summary><see cref="AdmissionAnswer"/> with the tenth column of <see cref="VoucherAnswer"/>.</summary>
    public const string VoucherAdmissionAnswer = """

        UNION ALL
        SELECT NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM admission)
        """;

    private static readonly NamedSql ReservedClaim = Compose(SeatingKind.Reserved, admitted: false);
    private static readonly NamedSql ReservedAdmittedClaim = Compose(SeatingKind.Reserved, admitted: true);
    private static readonly NamedSql GeneralAdmissionClaim = Compose(SeatingKind.GeneralAdmission, admitted: false);
    private static readonly NamedSql GeneralAdmissionAdmittedClaim = Compose(SeatingKind.GeneralAdmission, admitted: true);
    private static readonly NamedSql[] VoucherClaims =
    [
        Compose(SeatingKind.Reserved, admitted: false, voucher: true),
        Compose(SeatingKind.Reserved, admitted: true, voucher: true),
        Compose(SeatingKind.GeneralAdmission, admitted: false, voucher: true),
        Compose(SeatingKind.GeneralAdmission, admitted: true, voucher: true),
    ];

    /// <summary>The claim statement of a seating kind, with or without an admission token to spend.</summary>
    public static NamedSql For(SeatingKind seating, bool admitted) => (seating, admitted) switch
    {
        (SeatingKind.Reserved, false) => ReservedClaim,
        (SeatingKind.Reserved, true) => ReservedAdmittedClaim,
        (_, false) => GeneralAdmissionClaim,
        _ => GeneralAdmissionAdmittedClaim,
    };

    /// <summary>The claim statement of a seating kind, with or without an admission token to spend, and with or without a voucher to redeem.</summary>
    public static NamedSql For(SeatingKind seating, bool admitted, bool voucher) =>
        voucher ? VoucherClaims[(seating == SeatingKind.Reserved ? 0 : 2) + (admitted ? 1 : 0)] : For(seating, admitted);

    /// <summary>The fragments of one claim statement, in order. A claim without a voucher has none of the voucher's fragments.</summary>
    internal static NamedSql Compose(SeatingKind seating, bool admitted, bool voucher = false)
    {
        var ctes = new List<string>
        {
            seating == SeatingKind.Reserved ? ReservedTarget : GeneralAdmissionTarget,
            admitted ? Admission : NoAdmission,
            PurchaseLimit,
            Pricing,
        };
        if (voucher)
        {
            ctes.AddRange([Voucher, VoucherClaim, Discount, VoucherRecord]);
        }
        else
        {
            ctes.AddRange([Claim, Record]);
        }

        if (admitted)
        {
            ctes.Add(SpendAdmission);
        }

        var answer = voucher ? VoucherAnswer + (admitted ? VoucherAdmissionAnswer : "") : Answer + (admitted ? AdmissionAnswer : "");
        return NamedSql.Compile("WITH " + string.Join(",\n", ctes) + "\n" + answer);
    }
}
