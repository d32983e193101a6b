using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Vouchers;

/// <summary>
/// An event's vouchers, for one reseller database: created and disabled by the organizer, redeemed only by a hold's claim
/// (<see cref="Holds.ClaimSql.Voucher"/>). Uses are counted at hold time: a live hold takes a use, its confirmation keeps
/// it, and a hold that lapses, is cancelled or is released gives it back (the count is derived from the holds, so expiry
/// needs no job). A refunded order keeps its use.
/// </summary>
public sealed class VoucherService(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>The most uses (in all, or per customer) a voucher may allow.</summary>
    public const int MaxUsesLimit = 1_000_000;

    private const string Columns = """
        v.id, v.event_id, v.code, v.kind, v.percent_off, v.amount_off_minor, v.class_id, v.valid_from, v.valid_until, v.max_uses,
        v.max_uses_per_customer, v.disabled_at IS NULL, v.created_at, e.currency,
        (SELECT count(*) FROM voucher_redemptions r JOIN holds h ON h.id = r.hold_id
         WHERE r.voucher_id = v.id AND (h.status = 1 OR (h.status = 0 AND h.expires_at > $2))),
        (SELECT count(*) FROM voucher_redemptions r JOIN holds h ON h.id = r.hold_id WHERE r.voucher_id = v.id AND h.status = 1),
        (SELECT coalesce(sum(r.discount_minor), 0)::bigint FROM voucher_redemptions r JOIN holds h ON h.id = r.hold_id WHERE r.voucher_id = v.id AND h.status = 1)
        """;

    /// <summary>Creates a voucher for event <paramref name="eventId"/>.</summary>
    public async Task<Result<VoucherView>> CreateAsync(Guid eventId, CreateVoucherCommand cmd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var errors = Validate(cmd, out var code);
        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var check = new NpgsqlCommand("""
            SELECT e.status, ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM ticket_classes c WHERE c.id = $2 AND c.event_id = e.id))
            FROM events e WHERE e.id = $1
            """, conn))
        {
            check.Parameters.Add(new() { Value = eventId });
            check.Parameters.Add(new() { Value = (object?)cmd.ClassId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            await using var reader = await check.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
            }

            if (reader.GetInt16(0) == 1)
            {
                return new InventoryError(ErrorCodes.EventCancelled, $"Event '{eventId}' is cancelled.");
            }

            if (!reader.GetBoolean(1))
            {
                return InventoryError.Validation(new Dictionary<string, string[]> { ["class_id"] = ["Not a ticket class of this event."] });
            }
        }

        var id = Guid.CreateVersion7();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO vouchers (id, event_id, class_id, code, kind, percent_off, amount_off_minor, valid_from, valid_until, max_uses,
                                  max_uses_per_customer, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (event_id, code) DO NOTHING
            """, conn))
        {
            object Or(object? value) => value ?? DBNull.Value;
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = eventId });
            insert.Parameters.Add(new() { Value = Or(cmd.ClassId), NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new() { Value = code! });
            insert.Parameters.Add(new() { Value = cmd.Kind! });
            insert.Parameters.Add(new() { Value = Or(cmd.Kind == VoucherKinds.Percentage ? cmd.PercentOff : null), NpgsqlDbType = NpgsqlDbType.Integer });
            insert.Parameters.Add(new() { Value = Or(cmd.Kind == VoucherKinds.FixedAmount ? cmd.AmountOffMinor : null), NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new() { Value = Or(cmd.ValidFrom?.ToUniversalTime()), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new() { Value = Or(cmd.ValidUntil?.ToUniversalTime()), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new() { Value = Or(cmd.MaxUses), NpgsqlDbType = NpgsqlDbType.Integer });
            insert.Parameters.Add(new() { Value = Or(cmd.MaxUsesPerCustomer), NpgsqlDbType = NpgsqlDbType.Integer });
            insert.Parameters.Add(new() { Value = time.GetUtcNow() });
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return new InventoryError(ErrorCodes.VoucherCodeTaken, $"The event already has a voucher '{code}'.");
            }
        }

        return (await GetAsync(eventId, id, ct)).Value!;
    }

    /// <summary>The event's vouchers, newest first.</summary>
    public async Task<Result<VoucherList>> ListAsync(Guid eventId, CancellationToken ct)
    {
        var list = await ReadAsync(eventId, null, ct);
        if (list.Count == 0 && !await EventExistsAsync(eventId, ct))
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        return new VoucherList(list);
    }

    /// <summary>One voucher of the event.</summary>
    public async Task<Result<VoucherView>> GetAsync(Guid eventId, Guid voucherId, CancellationToken ct)
    {
        var list = await ReadAsync(eventId, voucherId, ct);
        if (list.Count == 1)
        {
            return list[0];
        }

        return await EventExistsAsync(eventId, ct)
            ? InventoryError.NotFound(ErrorCodes.VoucherNotFound, "Voucher", voucherId)
            : InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
    }

    /// <summary>Disables a voucher: no hold redeems it from now on; holds that did keep their discount.</summary>
    public async Task<Result<VoucherView>> DisableAsync(Guid eventId, Guid voucherId, CancellationToken ct)
    {
        await using (var cmd = db.CreateCommand("UPDATE vouchers SET disabled_at = coalesce(disabled_at, $3) WHERE id = $2 AND event_id = $1"))
        {
            cmd.Parameters.Add(new() { Value = eventId });
            cmd.Parameters.Add(new() { Value = voucherId });
            cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
            await cmd.ExecuteNonQueryAsync(ct);
        }

        return await GetAsync(eventId, voucherId, ct);
    }

    private async Task<List<VoucherView>> ReadAsync(Guid eventId, Guid? voucherId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM vouchers v JOIN events e ON e.id = v.event_id
            WHERE v.event_id = $1 AND ($3::uuid IS NULL OR v.id = $3)
            ORDER BY v.created_at DESC, v.id DESC
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        cmd.Parameters.Add(new() { Value = (object?)voucherId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        var list = new List<VoucherView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            int? Int(int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);
            DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            var currency = reader.GetString(13);
            list.Add(new VoucherView(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), Int(4),
                reader.IsDBNull(5) ? null : new Money(reader.GetInt64(5), currency), reader.IsDBNull(6) ? null : reader.GetGuid(6),
                At(7), At(8), Int(9), Int(10), reader.GetInt64(14), reader.GetInt64(15), reader.GetInt64(16), reader.GetBoolean(11),
                reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return list;
    }

    private async Task<bool> EventExistsAsync(Guid eventId, CancellationToken ct)
    {
        await using var exists = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM events WHERE id = $1)");
        exists.Parameters.Add(new() { Value = eventId });
        return (bool)(await exists.ExecuteScalarAsync(ct))!;
    }

    private static Dictionary<string, string[]> Validate(CreateVoucherCommand cmd, out string? code)
    {
        var errors = new Dictionary<string, string[]>();
        code = VoucherCodes.Normalize(cmd.Code);
        if (code is null) { errors["code"] = [VoucherCodes.Rule]; }
        switch (cmd.Kind)
        {
            case VoucherKinds.Percentage:
                if (cmd.PercentOff is not (>= 1 and <= 100)) { errors["percent_off"] = ["1 to 100 for a percentage voucher."]; }
                if (cmd.AmountOffMinor is not null) { errors["amount_off_minor"] = ["Only for a fixed_amount voucher."]; }
                break;
            case VoucherKinds.FixedAmount:
                if (cmd.AmountOffMinor is not (>= 1 and <= EventLimits.MaxPriceMinor)) { errors["amount_off_minor"] = [$"1 to {EventLimits.MaxPriceMinor} minor units for a fixed_amount voucher."]; }
                if (cmd.PercentOff is not null) { errors["percent_off"] = ["Only for a percentage voucher."]; }
                break;
            case VoucherKinds.FreeTicket:
                if (cmd.PercentOff is not null) { errors["percent_off"] = ["Only for a percentage voucher."]; }
                if (cmd.AmountOffMinor is not null) { errors["amount_off_minor"] = ["Only for a fixed_amount voucher."]; }
                break;
            default:
                errors["kind"] = ["One of: percentage, fixed_amount, free_ticket."];
                break;
        }

        if (cmd.ValidFrom is { } from && cmd.ValidUntil is { } until && from >= until) { errors["valid_until"] = ["After valid_from."]; }
        if (cmd.MaxUses is not null and not (>= 1 and <= MaxUsesLimit)) { errors["max_uses"] = [$"1 to {MaxUsesLimit}, or left out for no limit."]; }
        if (cmd.MaxUsesPerCustomer is not null and not (>= 1 and <= MaxUsesLimit)) { errors["max_uses_per_customer"] = [$"1 to {MaxUsesLimit}, or left out for no limit."]; }
        if (cmd.ClassId == Guid.Empty) { errors["class_id"] = ["A ticket class id of the event, or left out for every class."]; }
        return errors;
    }
}
