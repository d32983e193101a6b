using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Payments;

/// <summary>How a refund row is read into a <see cref="RefundView"/> (the refund service and the order queries alike).</summary>
internal static class RefundRows
{
    /// <summary>The view's columns of <c>refunds r</c>, <see cref="ColumnCount"/> of them.</summary>
    public const string Columns = """
        r.id, r.status, r.amount_minor, r.currency, r.reason, r.initiated_by, r.seat_disposition, r.created_at, r.completed_at,
        r.attempts, r.last_error, r.failure_code, r.next_attempt_at, r.failed_at
        """;

    public const int ColumnCount = 14;

    /// <summary>The view from <see cref="Columns"/> read at <paramref name="at"/>; null when the refund id there is null (no refund).</summary>
    public static RefundView? Read(NpgsqlDataReader reader, int at)
    {
        if (reader.IsDBNull(at))
        {
            return null;
        }

        DateTimeOffset? Time(int i) => reader.IsDBNull(at + i) ? null : reader.GetFieldValue<DateTimeOffset>(at + i);
        string? Text(int i) => reader.IsDBNull(at + i) ? null : reader.GetString(at + i);
        return new RefundView(reader.GetGuid(at), reader.GetString(at + 1), new Money(reader.GetInt64(at + 2), reader.GetString(at + 3)),
            reader.GetString(at + 4), reader.GetString(at + 5), reader.GetString(at + 6), reader.GetFieldValue<DateTimeOffset>(at + 7), Time(8),
            reader.GetInt32(at + 9), Text(10), Text(11), reader.GetString(at + 1) == "requested" ? Time(12) : null, Time(13));
    }
}

/// <summary>A refund with what sending it needs: its order, the PSP intent, and how often it was asked for again after failing.</summary>
internal sealed record RefundRow(RefundView View, Guid OrderId, string IntentId, int Resubmissions)
{
    /// <summary>
    /// The refund's idempotency key at the PSP: the same for every retry of one request (a lost answer is replayed, never
    /// refunded twice), a new one when a failed refund is asked for again (the PSP did nothing for the refused one).
    /// </summary>
    public string IdempotencyKey => Resubmissions == 0 ? $"refund-{View.Id}" : $"refund-{View.Id}-{Resubmissions}";

    private const string Select = $"SELECT {RefundRows.Columns}, r.order_id, o.payment_reference, r.resubmissions FROM refunds r JOIN orders o ON o.id = r.order_id";

    /// <summary>The refund <paramref name="refundId"/>, or null.</summary>
    public static Task<RefundRow?> ByIdAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid refundId, CancellationToken ct) =>
        ReadAsync(new NpgsqlCommand($"{Select} WHERE r.id = $1", conn, tx), refundId, ct);

    /// <summary>The refund of order <paramref name="orderId"/>, or null.</summary>
    public static Task<RefundRow?> ByOrderAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid orderId, CancellationToken ct) =>
        ReadAsync(new NpgsqlCommand($"{Select} WHERE r.order_id = $1", conn, tx), orderId, ct);

    private static async Task<RefundRow?> ReadAsync(NpgsqlCommand cmd, Guid key, CancellationToken ct)
    {
        await using (cmd)
        {
            cmd.Parameters.Add(new() { Value = key });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new RefundRow(RefundRows.Read(reader, 0)!, reader.GetGuid(RefundRows.ColumnCount), reader.GetString(RefundRows.ColumnCount + 1),
                    reader.GetInt32(RefundRows.ColumnCount + 2))
                : null;
        }
    }
}
