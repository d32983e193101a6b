using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Sales;

namespace TicketAspire.Inventory.Groups;

/// <summary>
/// Group sales, for one reseller database: a quote holds a large quantity for a group on one hold that lasts until the
/// invoice's due date, with the price (fees and tax, no card processing fee) fixed when it is made; the reseller records
/// the group's bank payment and the hold is sold (<see cref="SaleService"/>) with one ticket per unit; unpaid at the due
/// date, the hold lapses and its seats are claimable again at once (the hold sweeper marks the quote released and writes
/// <c>group_quote.released</c>). The claim is the buyers' claim (<see cref="ClaimSql"/>), so a quote and buyers racing
/// for the same seats never both get one; the quote and its hold are written in one transaction.
/// </summary>
public sealed class GroupQuoteService(
    NpgsqlDataSource db, InventoryCache cache, HoldService holds, SaleService sales, FeePlan fees, GroupQuoteOptions options, TimeProvider time)
{
    /// <summary>The payment reference prefix of an order paid by invoice: <c>invoice:GQ-000001</c>.</summary>
    public const string InvoicePrefix = "invoice:";

    /// <summary>The customer reference of a quote's hold and order: <c>group:&lt;quote id&gt;</c>.</summary>
    public const string CustomerPrefix = "group:";

    private const int MaxReferenceLength = 100;

    /// <summary>Holds the requested seats or tickets for a group until the due date, all or nothing, and prices the invoice.</summary>
    public async Task<Result<GroupQuoteView>> CreateAsync(Guid eventId, CreateGroupQuoteCommand cmd, string createdBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var now = time.GetUtcNow();
        var errors = Validate(cmd, now);
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var target = await ReadEventAsync(eventId, ct);
        if (target is null)
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        var (seating, currency, cancelled, startsAt, classIds) = target.Value;
        if (cancelled)
        {
            return new InventoryError(ErrorCodes.EventCancelled, $"Event '{eventId}' was cancelled.");
        }

        if (cmd.DueAt!.Value >= startsAt)
        {
            return Invalid("due_at", $"Before the event starts ({startsAt:O}): the invoice is paid before the tickets are used.");
        }

        if (seating == SeatingKind.Reserved && cmd.SeatIds is null)
        {
            return Invalid("seat_ids", "This event has reserved seating: quote seats by id.");
        }

        if (seating == SeatingKind.GeneralAdmission && cmd.Tickets is null)
        {
            return Invalid("tickets", "This event is general admission: quote tickets by class and quantity.");
        }

        if (cmd.Tickets?.FirstOrDefault(t => !classIds.Contains(t.ClassId!.Value)) is { } foreign)
        {
            return Invalid("tickets", $"Class '{foreign.ClassId}' is not a class of this event.");
        }

        var quoteId = Guid.CreateVersion7();
        var holdId = Guid.CreateVersion7();
        var requested = seating == SeatingKind.Reserved ? cmd.SeatIds!.Count : cmd.Tickets!.Sum(t => t.Quantity!.Value);
        var email = cmd.ContactEmail!.Trim();
        // the group's own customer reference: the purchase limit counts this quote alone, up to its size
        var claim = new SeatClaim(seating, eventId,
            seating == SeatingKind.Reserved ? cmd.SeatIds!.ToArray() : cmd.Tickets!.Select(t => t.ClassId!.Value).ToArray(),
            seating == SeatingKind.GeneralAdmission ? cmd.Tickets!.Select(t => t.Quantity!.Value).ToArray() : [],
            seating == SeatingKind.GeneralAdmission ? new int[cmd.Tickets!.Count] : [],
            now, holdId, cmd.DueAt.Value, CustomerPrefix + quoteId, email, currency, requested, AdmissionTokenId: null);

        // a general-admission claim skips rows other claims have locked: while enough are claimable, it is tried again
        for (var attempt = 0; ; attempt++)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var outcome = (await SeatClaim.RunAsync(conn, tx, [claim], ct))[0];
            if (outcome.Seats.Count > 0)
            {
                var subtotal = outcome.Seats.Sum(s => s.Price.MinorUnits);
                var price = FeeCalculator.Quote(fees.WithoutProcessingFee(), subtotal, outcome.Seats.Count, currency);
                await using (var insert = new NpgsqlBatch(conn, tx)
                {
                    BatchCommands =
                    {
                        EventCatalog.Command("""
                            INSERT INTO group_quotes (id, number, hold_id, event_id, organization, contact_email, note, due_at, ticket_count,
                                                      subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor, total_minor, currency,
                                                      created_by, created_at)
                            VALUES ($1, 'GQ-' || lpad(nextval('group_quote_numbers')::text, 6, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                                    $14, $15, $16)
                            """, quoteId, holdId, eventId, cmd.Organization!.Trim(), email, (object?)NullIfBlank(cmd.Note) ?? DBNull.Value,
                            cmd.DueAt.Value, outcome.Seats.Count, price.SubtotalMinor, price.PlatformFeeMinor, price.ProcessingFeeMinor,
                            price.TaxMinor, price.TotalMinor, currency, createdBy, now),
                        EventCatalog.Command(Announce("group_quote.created"), quoteId, now),
                    },
                })
                {
                    await insert.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
                InventoryMetrics.HoldsCreated.Add(1);
                await cache.InvalidateAvailabilityAsync(eventId);
                return (await GetAsync(eventId, quoteId, ct)).Value!;
            }

            await tx.RollbackAsync(ct);
            if (seating == SeatingKind.Reserved)
            {
                var unavailable = cmd.SeatIds!.Where(id => !outcome.Free.Contains(id)).ToList();
                return await UnknownSeatsAsync(eventId, unavailable, ct)
                    ?? new InventoryError(ErrorCodes.SeatUnavailable,
                        $"{unavailable.Count} of {requested} requested seats are not available; nothing was held.", UnavailableSeatIds: unavailable);
            }

            if (attempt == 3 || !await ClaimableAsync(eventId, cmd.Tickets!, now, ct))
            {
                return new InventoryError(ErrorCodes.SoldOut, $"Not enough tickets available for {requested} tickets; nothing was held.");
            }

            // wall-clock on purpose: it waits for other claims' row locks, not for domain time
            await Task.Delay(TimeSpan.FromMilliseconds(10 << attempt), ct);
        }
    }

    /// <summary>A quote of event <paramref name="eventId"/>, its status as of now.</summary>
    public async Task<Result<GroupQuoteView>> GetAsync(Guid eventId, Guid quoteId, CancellationToken ct)
    {
        var found = await ReadAsync("q.id = $1 AND q.event_id = $2", [quoteId, eventId], ct);
        return found.Count == 0 ? InventoryError.NotFound(ErrorCodes.GroupQuoteNotFound, "Group quote", quoteId) : found[0];
    }

    /// <summary>The quotes of event <paramref name="eventId"/>, newest first, optionally those of one status (at most 500).</summary>
    public async Task<Result<GroupQuoteList>> ListAsync(Guid eventId, string? status, CancellationToken ct)
    {
        if (status is not (null or "open" or "paid" or "released" or "cancelled"))
        {
            return Invalid("status", "One of open, paid, released, cancelled.");
        }

        if (!await EventExistsAsync(eventId, ct))
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        var items = await ReadAsync("q.event_id = $1", [eventId], ct);
        return new GroupQuoteList(status is null ? items : [.. items.Where(q => q.Status == status)]);
    }

    /// <summary>
    /// Records the group's payment of the invoice and sells the quote's hold: the amount must be the invoice's total. The
    /// same reference again answers the paid quote (safe retries); a quote past its due date, cancelled, or paid with
    /// another reference is closed.
    /// </summary>
    public async Task<Result<GroupQuoteView>> RecordPaymentAsync(Guid eventId, Guid quoteId, RecordInvoicePaymentCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var reference = cmd.Reference?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(reference) || reference.Length > MaxReferenceLength)
        {
            errors["reference"] = [$"The bank transfer's reference: 1 to {MaxReferenceLength} characters."];
        }

        if (cmd.AmountMinor is null or < 0)
        {
            errors["amount_minor"] = ["The amount received, in minor units: the invoice's total."];
        }

        if (cmd.Currency is { } c && !Money.IsCurrencyCode(c))
        {
            errors["currency"] = ["An ISO 4217 code."];
        }

        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        Guid holdId;
        Guid paymentId;
        string number;
        PriceBreakdown price;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var read = new NpgsqlCommand("""
                SELECT q.status, q.hold_id, q.number, q.payment_reference, q.subtotal_minor, q.platform_fee_minor, q.processing_fee_minor,
                       q.tax_minor, q.total_minor, q.currency, h.status, h.expires_at
                FROM group_quotes q JOIN holds h ON h.id = q.hold_id WHERE q.id = $1 AND q.event_id = $2 FOR UPDATE OF q
                """, conn, tx))
            {
                read.Parameters.Add(new() { Value = quoteId });
                read.Parameters.Add(new() { Value = eventId });
                await using var reader = await read.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return InventoryError.NotFound(ErrorCodes.GroupQuoteNotFound, "Group quote", quoteId);
                }

                var status = reader.GetString(0);
                holdId = reader.GetGuid(1);
                number = reader.GetString(2);
                var recorded = reader.IsDBNull(3) ? null : reader.GetString(3);
                price = new PriceBreakdown(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetString(9));
                var holdStatus = (HoldStatus)reader.GetInt16(10);
                var holdExpiresAt = reader.GetFieldValue<DateTimeOffset>(11);
                if (recorded is not null && recorded != reference)
                {
                    return Closed(quoteId, $"its payment was recorded with reference '{recorded}'");
                }

                if (status is "released" or "cancelled" || (holdStatus != HoldStatus.Confirmed && (holdStatus != HoldStatus.Active || holdExpiresAt <= now)))
                {
                    return Closed(quoteId, status == "cancelled" ? "it was cancelled" : $"it was not paid by its due date ({holdExpiresAt:O}) and its seats were released");
                }
            }

            if (cmd.AmountMinor != price.TotalMinor || (cmd.Currency is { } currency && !string.Equals(currency, price.Currency, StringComparison.OrdinalIgnoreCase)))
            {
                return new InventoryError(ErrorCodes.InvoiceAmountMismatch,
                    $"Invoice {number} is {price.TotalMinor} {price.Currency} (minor units); {cmd.AmountMinor} {cmd.Currency ?? price.Currency} was recorded. Nothing was sold.",
                    Extensions: new Dictionary<string, object?> { ["total_minor"] = price.TotalMinor, ["currency"] = price.Currency });
            }

            // one payment row per quote (the invoice), made by the first recording and reused by retries
            await using (var payment = new NpgsqlCommand("""
                WITH made AS (
                    INSERT INTO payments (id, hold_id, attempt, status, psp_intent_id, subtotal_minor, platform_fee_minor, processing_fee_minor,
                                          tax_minor, total_minor, currency, created_at, updated_at)
                    VALUES ($1, $2, 1, 'processing', $3, $4, $5, $6, $7, $8, $9, $10, $10)
                    ON CONFLICT (psp_intent_id) DO NOTHING RETURNING id)
                SELECT id FROM made UNION ALL SELECT id FROM payments WHERE psp_intent_id = $3
                """, conn, tx))
            {
                foreach (var value in new object[] { Guid.CreateVersion7(), holdId, InvoicePrefix + number, price.SubtotalMinor, price.PlatformFeeMinor,
                             price.ProcessingFeeMinor, price.TaxMinor, price.TotalMinor, price.Currency, now })
                {
                    payment.Parameters.Add(new() { Value = value });
                }

                paymentId = (Guid)(await payment.ExecuteScalarAsync(ct))!;
            }

            await using (var keep = new NpgsqlCommand("UPDATE group_quotes SET payment_reference = $2 WHERE id = $1", conn, tx))
            {
                keep.Parameters.Add(new() { Value = quoteId });
                keep.Parameters.Add(new() { Value = reference! });
                await keep.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        var sold = await sales.SellPaidAsync(holdId, new VerifiedPayment(paymentId, InvoicePrefix + number, price), ct);
        if (sold.Error is { Code: ErrorCodes.HoldExpired or ErrorCodes.HoldNotActive })
        {
            return Closed(quoteId, "its hold lapsed or was cancelled before the payment was recorded");
        }

        if (sold.Error is { } error)
        {
            return error;
        }

        // the recording that marks the quote paid announces it; a concurrent one finds it paid and writes nothing
        await using (var paid = db.CreateCommand($"""
            WITH q AS (UPDATE group_quotes SET status = 'paid', order_id = $2, closed_at = $3 WHERE id = $1 AND status = 'open' RETURNING *)
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
            SELECT 'group_quote.paid', q.id, q.event_id, {Payload}, $3 FROM q
            """))
        {
            paid.Parameters.Add(new() { Value = quoteId });
            paid.Parameters.Add(new() { Value = sold.Value!.Id });
            paid.Parameters.Add(new() { Value = now });
            await paid.ExecuteNonQueryAsync(ct);
        }

        return await GetAsync(eventId, quoteId, ct);
    }

    /// <summary>Withdraws an open quote: its seats go back on sale now. Cancelling a cancelled quote again answers it.</summary>
    public async Task<Result<GroupQuoteView>> CancelAsync(Guid eventId, Guid quoteId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            string status;
            Guid holdId;
            string? reference;
            await using (var read = new NpgsqlCommand(
                "SELECT status, hold_id, payment_reference FROM group_quotes WHERE id = $1 AND event_id = $2 FOR UPDATE", conn, tx))
            {
                read.Parameters.Add(new() { Value = quoteId });
                read.Parameters.Add(new() { Value = eventId });
                await using var reader = await read.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return InventoryError.NotFound(ErrorCodes.GroupQuoteNotFound, "Group quote", quoteId);
                }

                (status, holdId, reference) = (reader.GetString(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }

            if (status != "open")
            {
                await tx.RollbackAsync(ct);
                return status == "cancelled" ? await GetAsync(eventId, quoteId, ct) : Closed(quoteId, $"it is {status}");
            }

            if (reference is not null)
            {
                return Closed(quoteId, $"its payment was recorded with reference '{reference}'");
            }

            // the quote's row stays locked: a payment recorded meanwhile waits, then finds the quote cancelled
            var released = await holds.CancelAsync(holdId, null, ct);
            if (released.Error is { } refused)
            {
                return refused.Code switch
                {
                    ErrorCodes.HoldExpired => Closed(quoteId, "it was not paid by its due date and its seats were released"),
                    ErrorCodes.HoldNotActive => Closed(quoteId, "it was paid"),
                    _ => refused,
                };
            }

            await using var cancel = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    EventCatalog.Command("UPDATE group_quotes SET status = 'cancelled', closed_at = $2 WHERE id = $1", quoteId, now),
                    EventCatalog.Command(Announce("group_quote.cancelled"), quoteId, now),
                },
            };
            await cancel.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        return await GetAsync(eventId, quoteId, ct);
    }

    /// <summary>$1 quote, $2 now: the quote's outbox row of <paramref name="topic"/> (the reseller's webhooks).</summary>
    internal static string Announce(string topic) => $"""
        INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at)
        SELECT '{topic}', q.id, q.event_id, {Payload}, $2 FROM group_quotes q WHERE q.id = $1
        """;

    /// <summary>The webhook payload of a quote row <c>q</c>.</summary>
    internal const string Payload = """
        jsonb_build_object('quote_id', q.id, 'number', q.number, 'event_id', q.event_id, 'hold_id', q.hold_id,
            'organization', q.organization, 'contact_email', q.contact_email, 'status', q.status, 'due_at', q.due_at,
            'ticket_count', q.ticket_count, 'total_minor', q.total_minor, 'currency', q.currency, 'order_id', q.order_id)
        """;

    private async Task<List<GroupQuoteView>> ReadAsync(string where, object[] values, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var cmd = db.CreateCommand($"""
            SELECT q.id, q.number, q.event_id, q.hold_id, q.organization, q.contact_email, q.note, q.status, q.due_at, q.ticket_count,
                   q.subtotal_minor, q.platform_fee_minor, q.processing_fee_minor, q.tax_minor, q.total_minor, q.currency,
                   q.created_at, q.closed_at, q.payment_reference, q.order_id, h.status, h.order_id, h.closed_at, h.expires_at,
                   coalesce((SELECT jsonb_agg(jsonb_build_array(c.class_id, c.n, c.subtotal) ORDER BY c.class_id)
                             FROM (SELECT class_id, count(*) AS n, sum(price_minor) AS subtotal FROM hold_items WHERE hold_id = q.hold_id GROUP BY class_id) c),
                            '[]')::text
            FROM group_quotes q JOIN holds h ON h.id = q.hold_id
            WHERE {where} ORDER BY q.created_at DESC, q.id LIMIT 500
            """);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new() { Value = value });
        }

        var quotes = new List<GroupQuoteView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var status = reader.GetString(7);
            var orderId = reader.IsDBNull(19) ? (Guid?)null : reader.GetGuid(19);
            var closedAt = reader.IsDBNull(17) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(17);
            var holdStatus = (HoldStatus)reader.GetInt16(20);
            var expiresAt = reader.GetFieldValue<DateTimeOffset>(23);
            if (status == "open" && holdStatus == HoldStatus.Confirmed)
            {
                // sold, and the quote not yet marked so (recording the payment again completes it)
                (status, orderId, closedAt) = ("paid", reader.GetGuid(21), reader.GetFieldValue<DateTimeOffset>(22));
            }
            else if (status == "open" && (holdStatus != HoldStatus.Active || expiresAt <= now))
            {
                // lapsed: its seats are claimable already; the sweeper marks the quote
                (status, closedAt) = ("released", reader.IsDBNull(22) ? expiresAt : reader.GetFieldValue<DateTimeOffset>(22));
            }

            var classes = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement[][]>(reader.GetString(24))!
                .Select(c => new GroupQuoteClass(c[0].GetGuid(), c[1].GetInt32(), c[2].GetInt64())).ToList();
            quotes.Add(new GroupQuoteView(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), status, reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetInt32(9),
                new PriceBreakdown(reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), reader.GetString(15)),
                classes, reader.GetFieldValue<DateTimeOffset>(16), closedAt, reader.IsDBNull(18) ? null : reader.GetString(18), orderId));
        }

        return quotes;
    }

    private Dictionary<string, string[]> Validate(CreateGroupQuoteCommand cmd, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(cmd.Organization) || cmd.Organization.Trim().Length > 200)
        {
            errors["organization"] = ["The group's organization: 1 to 200 characters."];
        }

        if (cmd.ContactEmail is null || !HoldService.IsPlausibleEmail(cmd.ContactEmail.Trim()))
        {
            errors["contact_email"] = ["The e-mail address the invoice and the tickets go to, at most 254 characters."];
        }

        if (cmd.Note is { Length: > 2000 })
        {
            errors["note"] = ["At most 2000 characters."];
        }

        if (cmd.DueAt is not { } due || due < now + options.MinTimeToDue || due > now + options.MaxTimeToDue)
        {
            errors["due_at"] = [$"The invoice's due date, from {options.MinTimeToDue.TotalHours:0} hours to {options.MaxTimeToDue.TotalDays:0} days from now."];
        }

        if ((cmd.SeatIds is null) == (cmd.Tickets is null))
        {
            errors["seat_ids"] = ["Give either seat_ids (reserved seating) or tickets (general admission)."];
        }
        else if (cmd.SeatIds is { } ids)
        {
            if (ids.Count == 0 || ids.Count > options.MaxTickets) { errors["seat_ids"] = [$"1 to {options.MaxTickets} seats."]; }
            else if (ids.Distinct().Count() != ids.Count) { errors["seat_ids"] = ["A seat is listed twice."]; }
        }
        else if (cmd.Tickets is { } tickets)
        {
            if (tickets.Count == 0) { errors["tickets"] = ["At least one class."]; }
            else if (tickets.Any(t => t.ClassId is null || t.Quantity is null or < 1)) { errors["tickets"] = ["Each entry needs class_id and a quantity of at least 1."]; }
            else if (tickets.Sum(t => (long)t.Quantity!.Value) > options.MaxTickets) { errors["tickets"] = [$"At most {options.MaxTickets} tickets per quote."]; }
            else if (tickets.Select(t => t.ClassId).Distinct().Count() != tickets.Count) { errors["tickets"] = ["A class is listed twice."]; }
        }

        return errors;
    }

    private async Task<(SeatingKind Seating, string Currency, bool Cancelled, DateTimeOffset StartsAt, Guid[] ClassIds)?> ReadEventAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT e.seating, e.currency, e.status = 1, e.starts_at, coalesce(array_agg(c.id) FILTER (WHERE c.id IS NOT NULL), '{}')
            FROM events e LEFT JOIN ticket_classes c ON c.event_id = e.id WHERE e.id = $1 GROUP BY e.id
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? ((SeatingKind)reader.GetInt16(0), reader.GetString(1), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<Guid[]>(4))
            : null;
    }

    private async Task<bool> EventExistsAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM events WHERE id = $1)");
        cmd.Parameters.Add(new() { Value = eventId });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Whether every requested class has enough units claimable now, counting rows others have locked.</summary>
    private async Task<bool> ClaimableAsync(Guid eventId, IReadOnlyList<TicketRequest> tickets, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT bool_and((SELECT count(*) FROM seats s
                             WHERE s.class_id = w.class_id AND s.event_id = $1 AND s.status <> 2 AND (s.status = 0 OR s.hold_expires_at <= $4)) >= w.quantity)
            FROM unnest($2::uuid[], $3::int[]) AS w (class_id, quantity)
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = tickets.Select(t => t.ClassId!.Value).ToArray() });
        cmd.Parameters.Add(new() { Value = tickets.Select(t => t.Quantity!.Value).ToArray() });
        cmd.Parameters.Add(new() { Value = now });
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    private async Task<InventoryError?> UnknownSeatsAsync(Guid eventId, IReadOnlyList<Guid> seatIds, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT array_agg(w.id) FROM unnest($2::uuid[]) AS w (id) WHERE NOT EXISTS (SELECT 1 FROM seats s WHERE s.id = w.id AND s.event_id = $1)");
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = seatIds.ToArray() });
        return await cmd.ExecuteScalarAsync(ct) is Guid[] { Length: > 0 } unknown
            ? Invalid("seat_ids", $"Not seats of this event: {string.Join(", ", unknown)}.")
            : null;
    }

    private static InventoryError Closed(Guid quoteId, string why) =>
        new(ErrorCodes.GroupQuoteClosed, $"Group quote '{quoteId}' cannot change: {why}.");

    private static InventoryError Invalid(string field, string message) =>
        InventoryError.Validation(new Dictionary<string, string[]> { [field] = [message] });

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
