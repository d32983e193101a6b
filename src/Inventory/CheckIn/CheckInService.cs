using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tickets;

namespace TicketAspire.Inventory.CheckIn;

/// <summary>
/// Signed tickets and the gate, in one reseller's database: a valid ticket's QR payload (signed with the reseller's key,
/// <see cref="TicketSigner"/>), the online check-in (one conditional UPDATE: a ticket is admitted once, whichever replica
/// the scanners reach), and the bundle an offline scanner downloads (the public key and the tickets that no longer admit).
/// </summary>
public sealed class CheckInService(NpgsqlDataSource db, TimeProvider time, TicketSigner signer, string resellerId)
{
    /// <summary>Longest gate name a scanner may give.</summary>
    public const int MaxGateLength = 100;

    private const string TicketColumns = """
        SELECT t.id, t.event_id, t.code, t.status, t.owner_ref, t.checked_in_at, t.check_in_gate, e.status = 1,
               coalesce(nullif(concat_ws(' ', s.section, nullif('row ' || s.row_label, 'row '), nullif('seat ' || s.number, 'seat ')), ''), c.name)
        FROM tickets t JOIN events e ON e.id = t.event_id JOIN seats s ON s.id = t.seat_id JOIN ticket_classes c ON c.id = t.class_id
        WHERE t.id = $1
        """;

    /// <summary>The public key a scanner verifies this reseller's tickets with.</summary>
    public TicketPublicKey PublicKey => signer.PublicKeyOf(resellerId);

    /// <summary>
    /// The signed QR payload of a valid ticket that <paramref name="ownerRef"/> owns (null: any owner); a dead ticket has
    /// none (<see cref="ErrorCodes.TicketNotValid"/>).
    /// </summary>
    public async Task<Result<TicketQr>> QrAsync(Guid ticketId, string? ownerRef, CancellationToken ct)
    {
        var ticket = await ReadAsync(ticketId, ct);
        if (ticket is null || (ownerRef is not null && ticket.OwnerRef != ownerRef))
        {
            return InventoryError.NotFound(ErrorCodes.TicketNotFound, "Ticket", ticketId);
        }

        if (ticket.Status != TicketStatuses.Valid)
        {
            return new InventoryError(ErrorCodes.TicketNotValid, $"Ticket '{ticketId}' is {ticket.Status}: it has no QR code any more.");
        }

        var payload = signer.Sign(resellerId, new TicketQrClaims(ticket.Id, ticket.EventId, ticket.Code, ticket.Seat));
        return new TicketQr(ticket.Id, ticket.EventId, ticket.Seat, payload, signer.PublicKeyOf(resellerId).Kid);
    }

    /// <summary>
    /// Admits the ticket whose QR <paramref name="payload"/> a scanner read, once: refused when the payload is not this
    /// reseller's signature (<see cref="ErrorCodes.TicketQrInvalid"/>), is for another event than
    /// <paramref name="eventId"/> (when given), names a ticket that died (refunded, resold, transferred: its code is not
    /// the current one) or whose event was cancelled (<see cref="ErrorCodes.TicketNotValid"/>), or was admitted before
    /// (<see cref="ErrorCodes.AlreadyCheckedIn"/>, with when and where).
    /// </summary>
    public async Task<Result<CheckInView>> CheckInAsync(string? payload, Guid? eventId, string? gate, string scannedBy, CancellationToken ct)
    {
        if (gate is { Length: > MaxGateLength } || (gate is not null && gate.Any(char.IsControl)))
        {
            return InventoryError.Validation(new Dictionary<string, string[]> { ["gate"] = [$"At most {MaxGateLength} printable characters."] });
        }

        if (signer.Verify(resellerId, payload) is not { } claims)
        {
            return new InventoryError(ErrorCodes.TicketQrInvalid, "The QR code is not a ticket signed for this reseller (forged, altered, or another reseller's).");
        }

        if (eventId is { } expected && claims.EventId != expected)
        {
            return new InventoryError(ErrorCodes.TicketForAnotherEvent, $"The ticket is for event '{claims.EventId}', not '{expected}'.",
                Extensions: new Dictionary<string, object?> { ["ticket_event_id"] = claims.EventId });
        }

        var now = time.GetUtcNow();
        await using (var admit = db.CreateCommand("""
            UPDATE tickets t SET checked_in_at = $3, checked_in_by = $4, check_in_gate = $5
            WHERE t.id = $1 AND t.code = $2 AND t.status = 'valid' AND t.checked_in_at IS NULL
              AND EXISTS (SELECT 1 FROM events e WHERE e.id = t.event_id AND e.status = 0)
            """))
        {
            admit.Parameters.Add(new() { Value = claims.TicketId });
            admit.Parameters.Add(new() { Value = claims.Code });
            admit.Parameters.Add(new() { Value = now });
            admit.Parameters.Add(new() { Value = scannedBy });
            admit.Parameters.Add(new() { Value = (object?)gate?.Trim() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            if (await admit.ExecuteNonQueryAsync(ct) == 1)
            {
                return new CheckInView(claims.TicketId, claims.EventId, claims.Seat, "admitted", now, gate?.Trim());
            }
        }

        // not admitted: a new statement sees what the scan that won (or the refund, resale, transfer) committed
        var ticket = await ReadAsync(claims.TicketId, ct);
        if (ticket is null)
        {
            return InventoryError.NotFound(ErrorCodes.TicketNotFound, "Ticket", claims.TicketId);
        }

        if (ticket.Status != TicketStatuses.Valid || ticket.Code != claims.Code || ticket.EventCancelled)
        {
            var why = ticket.EventCancelled ? "its event was cancelled" : ticket.Status == TicketStatuses.Valid ? "its code was replaced" : $"it is {ticket.Status}";
            return new InventoryError(ErrorCodes.TicketNotValid, $"Do not admit: the ticket is no longer valid ({why}).",
                Extensions: new Dictionary<string, object?> { ["ticket_status"] = ticket.EventCancelled ? "event_cancelled" : ticket.Status });
        }

        return new InventoryError(ErrorCodes.AlreadyCheckedIn,
            $"Do not admit: the ticket was checked in at {ticket.CheckedInAt:O}{(ticket.Gate is null ? "" : $" at gate {ticket.Gate}")}.",
            Extensions: new Dictionary<string, object?> { ["checked_in_at"] = ticket.CheckedInAt, ["gate"] = ticket.Gate });
    }

    /// <summary>The public key <paramref name="eventId"/>'s tickets are signed with (not found: no such event).</summary>
    public async Task<Result<TicketPublicKey>> KeyForEventAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM events WHERE id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        return await cmd.ExecuteScalarAsync(ct) is null ? InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId) : signer.PublicKeyOf(resellerId);
    }

    /// <summary>
    /// What an offline scanner of <paramref name="eventId"/> needs: the public key, and the ids of the event's tickets
    /// that must not be admitted (dead ones, and those already checked in) as of now.
    /// </summary>
    public async Task<Result<ScannerBundle>> BundleAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT (SELECT status = 1 FROM events WHERE id = $1),
                   coalesce((SELECT array_agg(id ORDER BY id) FROM tickets WHERE event_id = $1 AND status <> 'valid'), '{}'),
                   coalesce((SELECT array_agg(id ORDER BY id) FROM tickets WHERE event_id = $1 AND status = 'valid' AND checked_in_at IS NOT NULL), '{}')
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.IsDBNull(0))
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        return new ScannerBundle(eventId, reader.GetBoolean(0), signer.PublicKeyOf(resellerId), reader.GetFieldValue<Guid[]>(1), reader.GetFieldValue<Guid[]>(2),
            time.GetUtcNow());
    }

    private async Task<TicketRow?> ReadAsync(Guid ticketId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(TicketColumns);
        cmd.Parameters.Add(new() { Value = ticketId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new TicketRow(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetBoolean(7), r.GetString(8))
            : null;
    }

    private sealed record TicketRow(
        Guid Id, Guid EventId, string Code, string Status, string OwnerRef, DateTimeOffset? CheckedInAt, string? Gate, bool EventCancelled, string Seat);
}

/// <summary>A valid ticket's signed QR payload (<see cref="TicketSigner"/>), with the key id it verifies with.</summary>
public sealed record TicketQr(Guid TicketId, Guid EventId, string Seat, string Payload, string Kid);

/// <summary>A ticket admitted at the gate.</summary>
public sealed record CheckInView(Guid TicketId, Guid EventId, string? Seat, string Status, DateTimeOffset CheckedInAt, string? Gate);

/// <summary>
/// An offline scanner's download for one event: the key to verify QR codes with, and the tickets not to admit
/// (<paramref name="Revoked"/>: refunded, resold or transferred; <paramref name="CheckedIn"/>: already in) as of
/// <paramref name="GeneratedAt"/>.
/// </summary>
public sealed record ScannerBundle(
    Guid EventId, bool EventCancelled, TicketPublicKey Key, IReadOnlyList<Guid> Revoked, IReadOnlyList<Guid> CheckedIn, DateTimeOffset GeneratedAt);
