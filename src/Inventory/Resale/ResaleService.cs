using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Resale;

/// <summary>
/// The resale marketplace of one reseller database (seed 000 §2). An owner lists a valid ticket at an asking price no
/// higher than the jurisdiction's cap (percent of the seat's face value); a buyer holds the listing — one conditional
/// update, so of any number of buyers racing for it one wins and the others get <see cref="ErrorCodes.ListingUnavailable"/>
/// — and pays for the hold through the same payment and confirm path as a primary sale; the sale
/// (<see cref="Sales.SaleService"/>) reissues the ticket to the buyer and posts the commission and the seller's payout.
/// The jurisdiction's terms are checked when listing and again when buying (a rule changed meanwhile applies at once);
/// the event's organizer can turn resale off per event (<c>events.resale_allowed</c>).
/// </summary>
public sealed class ResaleService(NpgsqlDataSource db, TimeProvider time, HoldOptions holds)
{
    /// <summary>Highest asking price accepted at all, in minor units (the edge's bound on prices).</summary>
    public const long MaxAskingMinor = 100_000_000_000;

    private const string ListingColumns = """
        l.id, l.ticket_id, l.event_id, l.seat_id, l.class_id, s.section, s.row_label, s.number, l.face_minor, l.asking_minor, l.cap_percent,
        l.currency, l.status, l.hold_id IS NULL OR l.hold_expires_at <= $2, l.created_at, l.order_id, l.seller_ref
        """;

    /// <summary>
    /// Lists ticket <see cref="ListTicketCommand.TicketId"/> for resale, if it belongs to <paramref name="ownerRef"/> (null:
    /// any owner, a reseller's back end). Refused: resale not allowed by <paramref name="terms"/> or by the event, the event
    /// started or cancelled, a price above the cap (with <c>max_price_minor</c>), a ticket not valid, already listed or
    /// being transferred.
    /// </summary>
    public async Task<Result<ListingView>> ListAsync(ListTicketCommand cmd, string? ownerRef, ResaleTerms terms, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(terms);
        var errors = new Dictionary<string, string[]>();
        if (cmd.TicketId is null || cmd.TicketId == Guid.Empty) { errors["ticket_id"] = ["Required."]; }
        if (cmd.AskingPriceMinor is not (> 0 and <= MaxAskingMinor)) { errors["asking_price_minor"] = [$"Required, 1 to {MaxAskingMinor} minor units."]; }
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var ticketId = cmd.TicketId!.Value;
        var asking = cmd.AskingPriceMinor!.Value;
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ticket = await ResaleTicket.LockAsync(conn, tx, ticketId, now, ct);
        if (ticket is null || (ownerRef is not null && ticket.OwnerRef != ownerRef))
        {
            return InventoryError.NotFound(ErrorCodes.TicketNotFound, "Ticket", ticketId);
        }

        if (ticket.Status != "valid")
        {
            return new InventoryError(ErrorCodes.TicketNotValid, $"Ticket '{ticketId}' is {ticket.Status}; only a valid ticket can be listed.");
        }

        if (Refusal(terms, ticket.EventResaleAllowed, ticket.EventCancelled, ticket.StartsAt, now) is { } refused)
        {
            return refused;
        }

        if (AboveCap(asking, ticket.FaceMinor, terms.PriceCapPercent, ticket.Currency) is { } tooDear)
        {
            return tooDear;
        }

        if (ticket.Locked is { } locked)
        {
            return new InventoryError(ErrorCodes.TicketLocked, $"Ticket '{ticketId}' is {locked}; withdraw that first.");
        }

        var id = Guid.CreateVersion7(now);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO resale_listings (id, ticket_id, event_id, seat_id, class_id, seller_ref, face_minor, asking_minor, cap_percent, currency, status, created_at)
            SELECT $1, t.id, t.event_id, t.seat_id, t.class_id, t.owner_ref, s.price_minor, $3, $4, t.currency, 'listed', $5
            FROM tickets t JOIN seats s ON s.id = t.seat_id WHERE t.id = $2
            """, conn, tx))
        {
            foreach (var value in new object[] { id, ticketId, asking, terms.PriceCapPercent, now })
            {
                insert.Parameters.Add(new() { Value = value });
            }

            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return (await GetAsync(id, null, ct)).Value!;
    }

    /// <summary>Withdraws a listing of <paramref name="sellerRef"/> (null: any seller) unless a buyer's hold on it is live or it was sold.</summary>
    public async Task<Result<ListingView>> WithdrawAsync(Guid listingId, string? sellerRef, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = await GetAsync(listingId, sellerRef, ct);
        if (current.Error is not null)
        {
            return current;
        }

        await using (var cmd = db.CreateCommand("""
            UPDATE resale_listings SET status = 'withdrawn', closed_at = $2, hold_id = NULL, hold_expires_at = NULL
            WHERE id = $1 AND status = 'listed' AND (hold_id IS NULL OR hold_expires_at <= $2)
            """))
        {
            cmd.Parameters.Add(new() { Value = listingId });
            cmd.Parameters.Add(new() { Value = now });
            if (await cmd.ExecuteNonQueryAsync(ct) == 0 && current.Value!.Status != "withdrawn")
            {
                return new InventoryError(ErrorCodes.ListingUnavailable, current.Value.Status == "sold"
                    ? $"Listing '{listingId}' was sold."
                    : $"A buyer is paying for listing '{listingId}'; it can be withdrawn if their hold lapses.");
            }
        }

        return await GetAsync(listingId, sellerRef, ct);
    }

    /// <summary>A listing; with <paramref name="sellerRef"/>, only if it is that seller's (else not found).</summary>
    public async Task<Result<ListingView>> GetAsync(Guid listingId, string? sellerRef, CancellationToken ct)
    {
        var list = await ReadAsync("l.id = $1", listingId, ct);
        return list.Count == 0 || (sellerRef is not null && list[0].SellerRef != sellerRef)
            ? InventoryError.NotFound(ErrorCodes.ListingNotFound, "Listing", listingId)
            : list[0];
    }

    /// <summary>The event's listings a buyer can hold now, cheapest first, without their sellers.</summary>
    public async Task<Result<ListingPage>> BrowseAsync(Guid eventId, CancellationToken ct)
    {
        await using (var exists = db.CreateCommand("SELECT 1 FROM events WHERE id = $1"))
        {
            exists.Parameters.Add(new() { Value = eventId });
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
            }
        }

        var list = await ReadAsync("l.event_id = $1 AND l.status = 'listed' AND (l.hold_id IS NULL OR l.hold_expires_at <= $2)", eventId, ct);
        return new ListingPage(eventId, [.. list.Select(l => l with { SellerRef = null, SellerPayout = null })]);
    }

    /// <summary>
    /// Holds a listing for a buyer: a hold of its one seat at the asking price, paid and confirmed as any hold. Refused:
    /// resale no longer allowed (by <paramref name="terms"/> or the event), a price now above the cap, the buyer's own
    /// listing, a listing sold, withdrawn or held by another buyer (<see cref="ErrorCodes.ListingUnavailable"/>).
    /// </summary>
    public async Task<Result<HoldView>> HoldAsync(BuyListingCommand cmd, ResaleTerms terms, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        ArgumentNullException.ThrowIfNull(terms);
        var errors = new Dictionary<string, string[]>();
        if (cmd.ListingId is null || cmd.ListingId == Guid.Empty) { errors["listing_id"] = ["Required."]; }
        if (cmd.CustomerRef is not { Length: > 0 and <= 200 } || string.IsNullOrWhiteSpace(cmd.CustomerRef)) { errors["customer_ref"] = ["Required, at most 200 characters."]; }
        if (cmd.CustomerEmail is { } email0 && !HoldService.IsPlausibleEmail(email0.Trim())) { errors["customer_email"] = ["An e-mail address, at most 254 characters."]; }
        if (cmd.ExpireInSeconds is { } s && (s < holds.MinExpireSeconds || s > holds.MaxExpireSeconds))
        {
            errors["expire_in_seconds"] = [$"{holds.MinExpireSeconds} to {holds.MaxExpireSeconds}."];
        }

        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var listingId = cmd.ListingId!.Value;
        var buyer = cmd.CustomerRef!.Trim();
        var email = string.IsNullOrWhiteSpace(cmd.CustomerEmail) ? null : cmd.CustomerEmail.Trim();
        var now = time.GetUtcNow();
        var expiresAt = now.AddSeconds(cmd.ExpireInSeconds ?? holds.DefaultExpireSeconds);
        var holdId = Guid.CreateVersion7(now);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        ListingView listing;
        bool eventAllows, cancelled;
        DateTimeOffset startsAt;
        await using (var read = new NpgsqlCommand($"""
            SELECT {ListingColumns}, e.resale_allowed, e.status = 1, e.starts_at
            FROM resale_listings l JOIN seats s ON s.id = l.seat_id JOIN events e ON e.id = l.event_id WHERE l.id = $1
            """, conn, tx))
        {
            read.Parameters.Add(new() { Value = listingId });
            read.Parameters.Add(new() { Value = now });
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return InventoryError.NotFound(ErrorCodes.ListingNotFound, "Listing", listingId);
            }

            listing = Read(reader);
            (eventAllows, cancelled, startsAt) = (reader.GetBoolean(17), reader.GetBoolean(18), reader.GetFieldValue<DateTimeOffset>(19));
        }

        if (Refusal(terms, eventAllows, cancelled, startsAt, now) is { } refused)
        {
            return refused;
        }

        if (AboveCap(listing.AskingPrice.MinorUnits, listing.FaceValue.MinorUnits, terms.PriceCapPercent, listing.AskingPrice.Currency) is { } tooDear)
        {
            return tooDear with { Detail = $"{tooDear.Detail} The listing's price is above the cap that applies now; it cannot be bought." };
        }

        if (listing.SellerRef == buyer)
        {
            return new InventoryError(ErrorCodes.ListingUnavailable, "A seller cannot buy their own listing; withdraw it instead.");
        }

        if (listing.Status != "listed" || !listing.Available)
        {
            return Unavailable(listing);
        }

        // the claim: one conditional update on the listing row; a racing buyer waits for the row, sees it held and gets nothing
        await using (var claim = new NpgsqlCommand("""
            UPDATE resale_listings SET hold_id = $2, hold_expires_at = $3
            WHERE id = $1 AND status = 'listed' AND (hold_id IS NULL OR hold_expires_at <= $4)
            """, conn, tx))
        {
            foreach (var value in new object[] { listingId, holdId, expiresAt, now })
            {
                claim.Parameters.Add(new() { Value = value });
            }

            if (await claim.ExecuteNonQueryAsync(ct) != 1)
            {
                await tx.RollbackAsync(ct);
                return Unavailable(listing with { Available = false });
            }
        }

        await using (var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                EventCatalog.Command("""
                    INSERT INTO holds (id, event_id, customer_ref, customer_email, status, expires_at, total_minor, currency, created_at, listing_id)
                    VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9)
                    """, holdId, listing.EventId, buyer, email, expiresAt, listing.AskingPrice.MinorUnits, listing.AskingPrice.Currency, now, listingId),
                EventCatalog.Command("INSERT INTO hold_items (hold_id, seat_id, class_id, price_minor) VALUES ($1, $2, $3, $4)",
                    holdId, listing.SeatId, listing.ClassId, listing.AskingPrice.MinorUnits),
            },
        })
        {
            await batch.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        var seconds = (int)Math.Ceiling((expiresAt - now).TotalSeconds);
        return new HoldView(holdId, listing.EventId, buyer, HoldStatus.Active, now, expiresAt, seconds, listing.AskingPrice,
            [new HeldSeat(listing.SeatId, listing.ClassId, listing.Section, listing.Row, listing.Number, listing.AskingPrice)], null, email);
    }

    /// <summary>Why resale is refused now, or null: the jurisdiction's terms first, then the organizer's, then the event's state.</summary>
    internal static InventoryError? Refusal(ResaleTerms terms, bool eventAllows, bool cancelled, DateTimeOffset startsAt, DateTimeOffset now) =>
        !terms.Allowed ? new InventoryError(ErrorCodes.ResaleNotAllowed, "Resale is not allowed for this reseller's tickets (the jurisdiction's rules).")
        : !eventAllows ? new InventoryError(ErrorCodes.ResaleNotAllowed, "The organizer turned resale off for this event.")
        : cancelled ? new InventoryError(ErrorCodes.ResaleNotAllowed, "The event was cancelled.")
        : startsAt <= now ? new InventoryError(ErrorCodes.ResaleNotAllowed, "The event has started; its tickets can no longer be resold.")
        : null;

    /// <summary>The refusal of <paramref name="askingMinor"/> above <paramref name="capPercent"/> % of <paramref name="faceMinor"/>, or null.</summary>
    internal static InventoryError? AboveCap(long askingMinor, long faceMinor, int capPercent, string currency)
    {
        var max = (long)((Int128)faceMinor * capPercent / 100);
        return askingMinor <= max ? null : new InventoryError(ErrorCodes.ResalePriceAboveCap,
            $"The asking price {askingMinor} is above the resale cap: {capPercent} % of the face value {faceMinor}, at most {max} {currency} (minor units).",
            Extensions: new Dictionary<string, object?> { ["max_price_minor"] = max, ["face_value_minor"] = faceMinor, ["cap_percent"] = capPercent });
    }

    private static InventoryError Unavailable(ListingView listing) => new(ErrorCodes.ListingUnavailable, listing.Status switch
    {
        "sold" => $"Listing '{listing.Id}' was sold.",
        "withdrawn" => $"Listing '{listing.Id}' was withdrawn by its seller.",
        _ => $"Another buyer holds listing '{listing.Id}'.",
    });

    private async Task<List<ListingView>> ReadAsync(string filter, Guid key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {ListingColumns}
            FROM resale_listings l JOIN seats s ON s.id = l.seat_id WHERE {filter} ORDER BY l.asking_minor, l.id LIMIT 500
            """);
        cmd.Parameters.Add(new() { Value = key });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        var list = new List<ListingView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    private static ListingView Read(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var currency = r.GetString(11);
        var status = r.GetString(12);
        return new ListingView(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetGuid(3), r.GetGuid(4), Text(5), Text(6), Text(7),
            new Money(r.GetInt64(8), currency), new Money(r.GetInt64(9), currency), r.GetInt32(10), status, status == "listed" && r.GetBoolean(13),
            r.GetFieldValue<DateTimeOffset>(14), r.IsDBNull(15) ? null : r.GetGuid(15), r.GetString(16));
    }
}
