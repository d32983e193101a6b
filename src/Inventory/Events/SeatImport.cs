using Npgsql;
using NpgsqlTypes;

namespace TicketAspire.Inventory.Events;

/// <summary>
/// Writes an event's seats, one per planned unit, with one binary COPY: new ids, the class, the ordinal (1, 2, …), the
/// labels, the price and the accessibility flags (a companion names its wheelchair seat's new id). Used when an event is
/// created and when its seat plan is replaced.
/// </summary>
internal static class SeatImport
{
    /// <summary>Copies <paramref name="units"/> as seats of <paramref name="eventId"/>; <paramref name="classId"/> maps a planned class id to the stored one.</summary>
    public static async Task WriteAsync(NpgsqlConnection conn, Guid eventId, IReadOnlyList<PlannedSeat> units, Func<Guid, Guid> classId, CancellationToken ct)
    {
        await using var import = await conn.BeginBinaryImportAsync(
            "COPY seats (id, event_id, class_id, ordinal, section, row_label, number, price_minor, accessibility, companion_of) FROM STDIN (FORMAT BINARY)", ct);
        var ordinal = 0;
        var seatIds = units.Select(_ => Guid.CreateVersion7()).ToArray();
        foreach (var u in units)
        {
            await import.StartRowAsync(ct);
            await import.WriteAsync(seatIds[ordinal], NpgsqlDbType.Uuid, ct);
            await import.WriteAsync(eventId, NpgsqlDbType.Uuid, ct);
            await import.WriteAsync(classId(u.ClassId), NpgsqlDbType.Uuid, ct);
            await import.WriteAsync(++ordinal, NpgsqlDbType.Integer, ct);
            foreach (var text in new[] { u.Section, u.Row, u.Number })
            {
                if (text is null)
                {
                    await import.WriteNullAsync(ct);
                }
                else
                {
                    await import.WriteAsync(text, NpgsqlDbType.Text, ct);
                }
            }

            await import.WriteAsync(u.PriceMinor, NpgsqlDbType.Bigint, ct);
            await import.WriteAsync(u.Accessibility, NpgsqlDbType.Smallint, ct);
            if (u.CompanionOf is { } owner)
            {
                await import.WriteAsync(seatIds[owner], NpgsqlDbType.Uuid, ct);
            }
            else
            {
                await import.WriteNullAsync(ct);
            }
        }

        await import.CompleteAsync(ct);
    }
}
