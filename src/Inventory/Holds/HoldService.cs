using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Pricing;
using TicketAspire.Inventory.Vouchers;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// Holds (claims, offers, cancels and reads; their sale is <see cref="Sales.SaleService"/>'s), for one reseller database. With an <see cref="AdmissionGate"/>, a hold on an
/// event with a waiting room needs an admission token, spent by the hold's own claim statement. With a
/// <see cref="ClaimBatcher"/>, concurrent claims share round trips and transactions; each stays all-or-nothing. With a
/// <see cref="ShortfallMemo"/>, a general-admission class found short or a reserved seat found taken is answered from
/// memory for a second. With <see cref="AccountBlocks"/> (enabled in its <see cref="AccountBlockOptions"/>), an account
/// that let too many holds lapse or cancelled them is refused new holds for a while (<see cref="ErrorCodes.AccountBlocked"/>).
/// With <see cref="IPriceRules"/> (where dynamic pricing applies to the reseller), the claim prices an opted-in event's
/// units at the worker's multiplier within the rules' range and the event's cap (<see cref="ClaimSql.Pricing"/>).
/// </summary>
public sealed class HoldService(
    NpgsqlDataSource db, InventoryCache cache, TimeProvider time, HoldOptions options, EventMetadataCache? metadata = null,
    AdmissionGate? admissions = null, ClaimBatcher? batcher = null, ShortfallMemo? shortfalls = null, AccountBlocks? blocks = null,
    IPriceRules? pricing = null)
{
    /// <summary>Longest waitlist offer, in seconds (a day).</summary>
    public const int MaxOfferSeconds = 86_400;

    private static readonly Task<AccountStanding?> NotChecked = Task.FromResult<AccountStanding?>(null);

    /// <summary>
    /// Holds the requested seats or tickets for a customer, all or nothing, within the reseller's hold limits; on an event
    /// with a waiting room only with the customer's admission token; never for an account blocked for holding without
    /// buying (<see cref="ErrorCodes.AccountBlocked"/>: <see cref="InventoryError.Block"/> says whether this very attempt
    /// started the block, <see cref="InventoryError.RetryAfterSeconds"/> when it ends). The block check runs alongside
    /// the event and admission lookups, and a block is answered before any other refusal but the request's own fields.
    /// </summary>
    public Task<Result<HoldView>> CreateAsync(CreateHoldCommand cmd, CancellationToken ct) => CreateAsync(cmd, offer: false, edge: null, ct);

    /// <summary>
    /// As <see cref="CreateAsync(CreateHoldCommand, CancellationToken)"/>, with the host's own checks of the attempt (rate
    /// limits at its edge) running meanwhile: <paramref name="edge"/> is awaited before any seat is claimed, and false
    /// claims nothing (<see cref="ErrorCodes.HoldRefused"/>; the host answers with its own refusal). A block still comes
    /// first.
    /// </summary>
    public Task<Result<HoldView>> CreateAsync(CreateHoldCommand cmd, Task<bool> edge, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(edge);
        return CreateAsync(cmd, offer: false, edge, ct);
    }

    /// <summary>
    /// Holds units for a waitlist offer: as <see cref="CreateAsync(CreateHoldCommand, CancellationToken)"/>, except that the
    /// offer is the customer's admission (no token is asked for), the hold lasts as long as the offer (1 second to
    /// <see cref="MaxOfferSeconds"/>) whatever the reseller's limits on the length of a buyer's hold, and an account block
    /// does not apply: the platform makes the offer, the customer did not ask for this hold (a lapsed offer still counts
    /// towards the customer's unconfirmed holds, as any lapsed hold does).
    /// </summary>
    public Task<Result<HoldView>> OfferAsync(CreateHoldCommand cmd, CancellationToken ct) => CreateAsync(cmd, offer: true, edge: null, ct);

    private async Task<Result<HoldView>> CreateAsync(CreateHoldCommand cmd, bool offer, Task<bool>? edge, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var errors = Validate(cmd, offer, out var expireSeconds);
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var eventId = cmd.EventId!.Value;
        var customerRef = cmd.CustomerRef!.Trim();
        var now = time.GetUtcNow();

        // the block check (its own statement) runs while the event and the admission are looked up
        var standingTask = offer || blocks is not { Options.Enabled: true } ? NotChecked : CheckStandingAsync(blocks, customerRef, ct);
        EventMetadata? eventMetadata;
        AdmissionCheckResult admission;
        try
        {
            eventMetadata = await GetMetadataAsync(eventId, ct);
            admission = eventMetadata is null || admissions is null || offer ? AdmissionCheckResult.NotRequired
                : await admissions.CheckAsync(eventId, customerRef, cmd.AdmissionToken, now, ct);
        }
        catch
        {
            await ((Task)standingTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        if (await standingTask is { IsBlocked: true } standing)
        {
            return AccountBlocked(standing);
        }

        if (eventMetadata is null)
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        var (seating, currency, classIds, ordinals) = eventMetadata;

        if (seating == SeatingKind.Reserved && cmd.SeatIds is null)
        {
            return Invalid("seat_ids", "This event has reserved seating: hold seats by id.");
        }

        if (seating == SeatingKind.GeneralAdmission && cmd.Tickets is null)
        {
            return Invalid("tickets", "This event is general admission: hold tickets by class and quantity.");
        }

        if (cmd.Tickets?.FirstOrDefault(t => !classIds.Contains(t.ClassId!.Value)) is { } foreign)
        {
            return Invalid("tickets", $"Class '{foreign.ClassId}' is not a class of this event.");
        }

        var holdId = Guid.CreateVersion7();
        var expiresAt = now.AddSeconds(expireSeconds);
        var customerEmail = string.IsNullOrWhiteSpace(cmd.CustomerEmail) ? null : cmd.CustomerEmail.Trim();
        var requested = seating == SeatingKind.Reserved ? cmd.SeatIds!.Count : cmd.Tickets!.Sum(t => t.Quantity!.Value);
        if (requested > options.MaxTicketsPerCustomerPerEvent)
        {
            return LimitExceeded(requested, null);
        }

        if (seating == SeatingKind.GeneralAdmission && shortfalls is not null
            && cmd.Tickets!.Select(t => (Ticket: t, Left: shortfalls.Claimable(db.ConnectionString, eventId, t.ClassId!.Value)))
                .FirstOrDefault(x => x.Left < x.Ticket.Quantity) is { Ticket: { } known, Left: { } left })
        {
            InventoryMetrics.HoldsConflicted.Add(1);
            return new InventoryError(ErrorCodes.SoldOut,
                $"Not enough tickets available: {left} of class '{known.ClassId}' left, {known.Quantity} requested.");
        }

        if (seating == SeatingKind.Reserved && shortfalls?.Taken(db.ConnectionString, eventId, cmd.SeatIds!) is { Count: > 0 } taken)
        {
            InventoryMetrics.HoldsConflicted.Add(1);
            return new InventoryError(ErrorCodes.SeatUnavailable,
                $"{taken.Count} of {requested} requested seats are not available; nothing was held.", UnavailableSeatIds: taken);
        }

        if (admission.Error is { } refused)
        {
            return refused;
        }

        if (edge is not null && !await edge)
        {
            return new InventoryError(ErrorCodes.HoldRefused, "The attempt was refused before any seat was claimed; nothing was held.");
        }

        // the reseller's rule (in memory: the cell's configuration and the overrides' few-second cache)
        var range = pricing is null ? null : await pricing.DynamicPricingAsync(ct);
        var claim = new SeatClaim(seating, eventId,
            seating == SeatingKind.Reserved ? cmd.SeatIds!.ToArray() : cmd.Tickets!.Select(t => t.ClassId!.Value).ToArray(),
            seating == SeatingKind.GeneralAdmission ? cmd.Tickets!.Select(t => t.Quantity!.Value).ToArray() : [],
            seating == SeatingKind.GeneralAdmission ? cmd.Tickets!.Select(t => RandomStart(ordinals, t.ClassId!.Value)).ToArray() : [],
            now, holdId, expiresAt, customerRef, customerEmail, currency, options.MaxTicketsPerCustomerPerEvent, admission.TokenId, range,
            offer ? null : VoucherCodes.Normalize(cmd.VoucherCode));
        var (seats, free, already, admissionRefused, multiplier, voucherRefused) = await ClaimAsync(claim, ct);

        // SKIP LOCKED can come up short while other claims hold rows they may yet release (a competing claim that
        // cannot be completed keeps nothing): while enough tickets are claimable, a short GA claim is tried again.
        for (var attempt = 1; seats.Count == 0 && already is null && !admissionRefused && voucherRefused is null && seating == SeatingKind.GeneralAdmission && attempt <= 3; attempt++)
        {
            var claimable = await ClaimableAsync(eventId, cmd.Tickets!, now, ct);
            var shortClasses = cmd.Tickets!.Select(t => t.ClassId!.Value).Where((c, i) => claimable[c] < cmd.Tickets![i].Quantity).ToList();
            if (shortClasses.Count > 0)
            {
                foreach (var classId in shortClasses)
                {
                    shortfalls?.Remember(db.ConnectionString, eventId, classId, claimable[classId]);
                }

                break;
            }

            // a pause for the competing statements to finish (wall-clock on purpose: it waits for row locks, not for
            // domain time); 10, 20, 40 ms
            await Task.Delay(TimeSpan.FromMilliseconds(10 << (attempt - 1)), ct);

            (seats, free, already, admissionRefused, multiplier, voucherRefused) = await ClaimAsync(claim, ct);
        }

        if (admissionRefused)
        {
            return await admissions!.RefusalAsync(admission.TokenId!.Value, now, ct);
        }

        if (already is { } count)
        {
            InventoryMetrics.HoldsConflicted.Add(1);
            return LimitExceeded(requested, count);
        }

        if (voucherRefused is { } refusal && free.Count == 0)
        {
            // no unit was found free and wanting (all were there, or none was): the voucher is the answer
            InventoryMetrics.HoldsConflicted.Add(1);
            return VoucherCodes.Refusal(refusal, claim.VoucherCode!);
        }

        if (seats.Count == 0)
        {
            InventoryMetrics.HoldsConflicted.Add(1);
            return seating == SeatingKind.Reserved
                ? await SeatConflictAsync(eventId, cmd.SeatIds!, free, ct)
                : new InventoryError(ErrorCodes.SoldOut, $"Not enough tickets available: {free.Count} of {cmd.Tickets!.Sum(t => t.Quantity)} requested could be held.");
        }

        InventoryMetrics.HoldsCreated.Add(1);
        await cache.InvalidateAvailabilityAsync(eventId);
        var total = new Money(seats.Sum(s => s.Price.MinorUnits), currency);
        var discount = claim.VoucherCode is null ? (Money?)null : new Money(seats.Sum(s => s.Discount?.MinorUnits ?? 0), currency);
        return new HoldView(holdId, eventId, customerRef, HoldStatus.Active, now, expiresAt, expireSeconds, total, seats, null, customerEmail,
            DemandPricing.Factor(multiplier), discount, claim.VoucherCode);
    }

    /// <summary>
    /// A hold with its seats, if it belongs to <paramref name="customerRef"/> (null: any customer of this reseller); another
    /// customer's hold reads as not found. An active hold past its expiry reads as expired.
    /// </summary>
    public async Task<Result<HoldView>> GetAsync(Guid holdId, string? customerRef, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                EventCatalog.Command("""
                    SELECT h.event_id, h.customer_ref, h.status, h.created_at, h.expires_at, h.total_minor, h.currency, h.order_id, h.customer_email,
                           h.price_multiplier_bp, h.discount_minor, v.code
                    FROM holds h LEFT JOIN voucher_redemptions r ON r.hold_id = h.id LEFT JOIN vouchers v ON v.id = r.voucher_id WHERE h.id = $1
                    """, holdId),
                EventCatalog.Command("""
                    SELECT i.seat_id, i.class_id, s.section, s.row_label, s.number, i.price_minor, coalesce(i.base_price_minor, i.price_minor), i.discount_minor
                    FROM hold_items i JOIN seats s ON s.id = i.seat_id WHERE i.hold_id = $1 ORDER BY s.ordinal
                    """, holdId),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return InventoryError.NotFound(ErrorCodes.HoldNotFound, "Hold", holdId);
        }

        var now = time.GetUtcNow();
        var eventId = reader.GetGuid(0);
        var owner = reader.GetString(1);
        if (customerRef is not null && !string.Equals(owner, customerRef, StringComparison.Ordinal))
        {
            return InventoryError.NotFound(ErrorCodes.HoldNotFound, "Hold", holdId);
        }

        var customerEmail = NullableString(reader, 8);
        var status = (HoldStatus)reader.GetInt16(2);
        var createdAt = reader.GetFieldValue<DateTimeOffset>(3);
        var expiresAt = reader.GetFieldValue<DateTimeOffset>(4);
        var currency = reader.GetString(6);
        var total = new Money(reader.GetInt64(5), currency);
        Guid? orderId = reader.IsDBNull(7) ? null : reader.GetGuid(7);
        var multiplier = DemandPricing.Factor(reader.GetInt32(9));
        var voucherCode = NullableString(reader, 11);
        var discount = voucherCode is null ? (Money?)null : new Money(reader.GetInt64(10), currency);
        if (status == HoldStatus.Active && expiresAt <= now)
        {
            status = HoldStatus.Expired;
        }

        await reader.NextResultAsync(ct);
        var seats = new List<HeldSeat>();
        while (await reader.ReadAsync(ct))
        {
            seats.Add(new HeldSeat(reader.GetGuid(0), reader.GetGuid(1), NullableString(reader, 2), NullableString(reader, 3),
                NullableString(reader, 4), new Money(reader.GetInt64(5), currency), new Money(reader.GetInt64(6), currency),
                voucherCode is null ? null : new Money(reader.GetInt64(7), currency)));
        }

        var remaining = status == HoldStatus.Active ? (int)Math.Ceiling((expiresAt - now).TotalSeconds) : 0;
        return new HoldView(holdId, eventId, owner, status, createdAt, expiresAt, remaining, total, seats, orderId, customerEmail, multiplier,
            discount, voucherCode);
    }

    /// <summary>
    /// Releases a live hold's seats, if the hold belongs to <paramref name="customerRef"/> (null: any customer of the
    /// reseller; another customer's hold reads as not found). Cancelling a cancelled hold again succeeds.
    /// </summary>
    public async Task<Result<HoldView>> CancelAsync(Guid holdId, string? customerRef, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var hold = await LockedHold.ReadAsync(conn, tx, holdId, ct);
            if (hold is null || (customerRef is not null && !string.Equals(hold.CustomerRef, customerRef, StringComparison.Ordinal)))
            {
                return InventoryError.NotFound(ErrorCodes.HoldNotFound, "Hold", holdId);
            }

            if (hold.Status == HoldStatus.Active && hold.ExpiresAt <= now || hold.Status == HoldStatus.Expired)
            {
                return new InventoryError(ErrorCodes.HoldExpired, $"Hold '{holdId}' already expired; its seats were released.");
            }

            if (hold.Status == HoldStatus.Confirmed)
            {
                return new InventoryError(ErrorCodes.HoldNotActive, $"Hold '{holdId}' is confirmed; refunds cancel orders.");
            }

            if (hold.Status == HoldStatus.Active)
            {
                await using var batch = new NpgsqlBatch(conn, tx)
                {
                    BatchCommands =
                    {
                        EventCatalog.Command("""
                            UPDATE seats SET status = 0, hold_id = NULL, hold_expires_at = NULL, version = version + 1
                            WHERE hold_id = $1 AND status = 1
                            """, holdId),
                        EventCatalog.Command("UPDATE holds SET status = 2, closed_at = $2 WHERE id = $1", holdId, now),
                        // a resale hold frees its listing for the next buyer; its seat stays sold, so no seat change is announced
                        EventCatalog.Command("UPDATE resale_listings SET hold_id = NULL, hold_expires_at = NULL WHERE hold_id = $1 AND status = 'listed'", holdId),
                        EventCatalog.Command("""
                            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
                            SELECT 'hold.cancelled', $1, $2, jsonb_build_object('hold_id', $1::uuid,
                                'seat_ids', (SELECT jsonb_agg(seat_id) FROM hold_items WHERE hold_id = $1)), $3
                            WHERE $4
                            """, holdId, hold.EventId, now, hold.ListingId is null),
                    },
                };
                await batch.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                InventoryMetrics.HoldsCancelled.Add(1);
                shortfalls?.Forget(db.ConnectionString, hold.EventId);
                await cache.InvalidateAvailabilityAsync(hold.EventId);
            }
        }

        return await GetAsync(holdId, customerRef, ct);
    }

    /// <summary>
    /// The claim through the batcher when there is one, else as its own batch (the customer lock and the claim: one round
    /// trip, one implicit transaction). Either way it needs no connection while it waits, so holds cannot starve the pool.
    /// </summary>
    private async Task<ClaimOutcome> ClaimAsync(SeatClaim claim, CancellationToken ct) =>
        batcher is null ? (await SeatClaim.RunAsync(db, [claim], ct))[0] : await batcher.ClaimAsync(claim, ct);

    /// <summary>Per requested class, the tickets claimable now, counting rows others have locked.</summary>
    private async Task<Dictionary<Guid, long>> ClaimableAsync(Guid eventId, IReadOnlyList<TicketRequest> tickets, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT w.class_id, (
                SELECT count(*) FROM seats s
                WHERE s.class_id = w.class_id AND s.event_id = $1 AND s.status <> 2 AND (s.status = 0 OR s.hold_expires_at <= $3))
            FROM unnest($2::uuid[]) AS w (class_id)
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = tickets.Select(t => t.ClassId!.Value).ToArray() });
        cmd.Parameters.Add(new() { Value = now });
        var claimable = new Dictionary<Guid, long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimable[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return claimable;
    }

    private async Task<EventMetadata?> GetMetadataAsync(Guid eventId, CancellationToken ct)
    {
        if (metadata?.Get(db.ConnectionString, eventId) is { } cached)
        {
            return cached;
        }

        EventMetadata found;
        await using (var meta = db.CreateCommand("""
            SELECT e.seating, e.currency, coalesce(array_agg(c.id) FILTER (WHERE c.id IS NOT NULL), '{}')
            FROM events e LEFT JOIN ticket_classes c ON c.event_id = e.id WHERE e.id = $1 GROUP BY e.id
            """))
        {
            meta.Parameters.Add(new() { Value = eventId });
            // disposed once, before the next command: Npgsql reuses a connection's reader object for its next user
            await using var reader = await meta.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            found = new EventMetadata((SeatingKind)reader.GetInt16(0), reader.GetString(1), reader.GetFieldValue<Guid[]>(2));
        }

        if (found.Seating == SeatingKind.GeneralAdmission)
        {
            var ordinals = new Dictionary<Guid, (int First, int Last)>();
            await using var range = db.CreateCommand("SELECT class_id, min(ordinal), max(ordinal) FROM seats WHERE event_id = $1 GROUP BY class_id");
            range.Parameters.Add(new() { Value = eventId });
            await using var rows = await range.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                ordinals[rows.GetGuid(0)] = (rows.GetInt32(1), rows.GetInt32(2));
            }

            found = found with { Ordinals = ordinals };
        }

        metadata?.Set(db.ConnectionString, eventId, found);
        return found;
    }

    /// <summary>A random ordinal of the class to start a general-admission claim at (0, the whole class, if unknown).</summary>
    private static int RandomStart(IReadOnlyDictionary<Guid, (int First, int Last)>? ordinals, Guid classId) =>
        ordinals is not null && ordinals.TryGetValue(classId, out var range) ? Random.Shared.Next(range.First, range.Last + 1) : 0;

    private async Task<InventoryError> SeatConflictAsync(Guid eventId, IReadOnlyList<Guid> requested, HashSet<Guid> free, CancellationToken ct)
    {
        await using var known = db.CreateCommand("SELECT id FROM seats WHERE event_id = $1 AND id = ANY($2)");
        known.Parameters.Add(new() { Value = eventId });
        known.Parameters.Add(new() { Value = requested.ToArray() });
        var existing = new HashSet<Guid>();
        await using (var reader = await known.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                existing.Add(reader.GetGuid(0));
            }
        }

        var unknown = requested.Where(id => !existing.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            return Invalid("seat_ids", $"Not seats of this event: {string.Join(", ", unknown)}.");
        }

        var unavailable = requested.Where(id => !free.Contains(id)).ToList();
        shortfalls?.RememberTaken(db.ConnectionString, eventId, unavailable);
        return new InventoryError(ErrorCodes.SeatUnavailable,
            $"{unavailable.Count} of {requested.Count} requested seats are not available; nothing was held.", UnavailableSeatIds: unavailable);
    }

    private Dictionary<string, string[]> Validate(CreateHoldCommand cmd, bool offer, out int expireSeconds)
    {
        var errors = new Dictionary<string, string[]>();
        expireSeconds = cmd.ExpireInSeconds ?? options.DefaultExpireSeconds;
        var (minExpire, maxExpire) = offer ? (1, MaxOfferSeconds) : (options.MinExpireSeconds, options.MaxExpireSeconds);
        if (cmd.EventId is null || cmd.EventId == Guid.Empty) { errors["event_id"] = ["Required."]; }
        if (string.IsNullOrWhiteSpace(cmd.CustomerRef) || cmd.CustomerRef.Length > 200) { errors["customer_ref"] = ["Required, at most 200 characters."]; }
        if (cmd.CustomerEmail is { } email && !IsPlausibleEmail(email.Trim())) { errors["customer_email"] = ["An e-mail address, at most 254 characters."]; }
        if (expireSeconds < minExpire || expireSeconds > maxExpire)
        {
            errors["expire_in_seconds"] = [$"Between {minExpire} and {maxExpire}."];
        }

        if (cmd.VoucherCode is not null && VoucherCodes.Normalize(cmd.VoucherCode) is null)
        {
            errors["voucher_code"] = [VoucherCodes.Rule];
        }

        if ((cmd.SeatIds is null) == (cmd.Tickets is null))
        {
            errors["seat_ids"] = ["Give either seat_ids (reserved seating) or tickets (general admission)."];
        }
        else if (cmd.SeatIds is { } ids)
        {
            if (ids.Count == 0 || ids.Count > options.MaxSeatsPerHold) { errors["seat_ids"] = [$"1 to {options.MaxSeatsPerHold} seats."]; }
            else if (ids.Distinct().Count() != ids.Count) { errors["seat_ids"] = ["A seat is listed twice."]; }
        }
        else if (cmd.Tickets is { } tickets)
        {
            if (tickets.Count == 0) { errors["tickets"] = ["At least one class."]; }
            else if (tickets.Any(t => t.ClassId is null || t.Quantity is null or < 1)) { errors["tickets"] = ["Each entry needs class_id and a quantity of at least 1."]; }
            else if (tickets.Sum(t => (long)t.Quantity!.Value) > options.MaxSeatsPerHold) { errors["tickets"] = [$"At most {options.MaxSeatsPerHold} tickets per hold."]; }
            else if (tickets.Select(t => t.ClassId).Distinct().Count() != tickets.Count) { errors["tickets"] = ["A class is listed twice."]; }
        }

        return errors;
    }

    /// <summary>The e-mail address rule of a hold's <c>customer_email</c>.</summary>
    internal static bool IsPlausibleEmail(string email) =>
        email.Length is > 2 and <= 254 && email.IndexOf('@', StringComparison.Ordinal) is var at && at > 0 && at < email.Length - 1
        && email.IndexOf('@', at + 1) < 0 && !email.Any(char.IsWhiteSpace);

    private static async Task<AccountStanding?> CheckStandingAsync(AccountBlocks blocks, string customerRef, CancellationToken ct) =>
        await blocks.CheckAsync(customerRef, ct);

    /// <summary>The refusal of a blocked account: until when, with the standing for the host (it audits a block's start).</summary>
    private InventoryError AccountBlocked(AccountStanding standing)
    {
        var until = standing.BlockedUntil!.Value;
        var seconds = (int)Math.Ceiling(Math.Max(1, (until - time.GetUtcNow()).TotalSeconds));
        return new InventoryError(ErrorCodes.AccountBlocked,
            $"Too many holds of this account lapsed or were cancelled without purchase; new holds are refused until {until:O}.",
            Extensions: new Dictionary<string, object?> { ["blocked_until"] = until }, RetryAfterSeconds: seconds, Block: standing);
    }

    private InventoryError LimitExceeded(int requested, int? already) => new(ErrorCodes.PurchaseLimitExceeded,
        already is { } n
            ? $"A customer may have at most {options.MaxTicketsPerCustomerPerEvent} tickets for this event; they already have {n} and asked for {requested} more."
            : $"A customer may have at most {options.MaxTicketsPerCustomerPerEvent} tickets for this event; {requested} were requested.",
        Extensions: new Dictionary<string, object?> { ["limit"] = options.MaxTicketsPerCustomerPerEvent, ["already"] = already ?? 0, ["requested"] = requested });

    private static InventoryError Invalid(string field, string message) =>
        InventoryError.Validation(new Dictionary<string, string[]> { [field] = [message] });

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
