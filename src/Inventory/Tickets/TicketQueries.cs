using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tickets;

/// <summary>Reads tickets by id and by owner.</summary>
public sealed class TicketQueries(NpgsqlDataSource db)
{
    private const string Columns = """
        SELECT t.id, t.order_id, t.event_id, t.seat_id, t.class_id, s.section, s.row_label, s.number, t.price_minor, t.currency,
               t.code, t.status, t.origin, t.owner_ref, t.issued_at, t.replaced_by
        FROM tickets t JOIN seats s ON s.id = t.seat_id
        """;

    /// <summary>A ticket, if <paramref name="ownerRef"/> owns (or owned) it (null: any owner); else not found.</summary>
    public async Task<Result<OwnedTicket>> GetAsync(Guid ticketId, string? ownerRef, CancellationToken ct)
    {
        var list = await ReadAsync($"{Columns} WHERE t.id = $1", ticketId, 1, ct);
        return list.Count == 0 || (ownerRef is not null && list[0].OwnerRef != ownerRef)
            ? InventoryError.NotFound(ErrorCodes.TicketNotFound, "Ticket", ticketId)
            : list[0];
    }

    /// <summary>The tickets <paramref name="ownerRef"/> holds or held, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<OwnedTicket>> ListByOwnerAsync(string ownerRef, int limit, CancellationToken ct) =>
        await ReadAsync($"{Columns} WHERE t.owner_ref = $1 ORDER BY t.issued_at DESC, t.id DESC LIMIT $2", ownerRef, limit, ct);

    private async Task<List<OwnedTicket>> ReadAsync(string sql, object key, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new() { Value = key });
        if (sql.Contains("$2", StringComparison.Ordinal))
        {
            cmd.Parameters.Add(new() { Value = limit });
        }

        var list = new List<OwnedTicket>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            var status = r.GetString(11);
            list.Add(new OwnedTicket(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetGuid(3), r.GetGuid(4), Text(5), Text(6), Text(7),
                new Money(r.GetInt64(8), r.GetString(9)), status == TicketStatuses.Valid ? r.GetString(10) : null, status, r.GetString(12),
                r.GetString(13), r.GetFieldValue<DateTimeOffset>(14), r.IsDBNull(15) ? null : r.GetGuid(15)));
        }

        return list;
    }
}
