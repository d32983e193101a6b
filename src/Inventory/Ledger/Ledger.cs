using Npgsql;
using NpgsqlTypes;

namespace TicketAspire.Inventory.Ledger;

/// <summary>Writes journal entries to the reseller's ledger (tables <c>journal_entries</c> and <c>journal_lines</c>).</summary>
public static class Ledger
{
    // one statement: the entry (skipped if its kind and source were posted before) and its lines from arrays
    private const string InsertSql = """
        WITH entry AS (
            INSERT INTO journal_entries (id, kind, source_id, order_id, event_id, currency, occurred_at, memo, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
            ON CONFLICT (kind, source_id) DO NOTHING
            RETURNING id, event_id)
        INSERT INTO journal_lines (entry_id, line_no, account, debit_minor, credit_minor, class_id, event_id, quantity, voucher_id)
        SELECT entry.id, l.line_no, l.account, l.debit_minor, l.credit_minor, l.class_id, entry.event_id, l.quantity, l.voucher_id
        FROM entry, unnest($9::text[], $10::bigint[], $11::bigint[], $12::uuid[], $13::integer[], $14::uuid[])
            WITH ORDINALITY AS l (account, debit_minor, credit_minor, class_id, quantity, voucher_id, line_no)
        """;

    /// <summary>
    /// Posts <paramref name="entry"/> in the caller's transaction (one statement). Returns false, and writes nothing, if
    /// an entry of the same kind and source id was already posted; that makes posting a business fact idempotent. The
    /// database checks at commit that the entry balances (a deferred constraint trigger).
    /// </summary>
    /// <exception cref="ArgumentException">The entry is not valid (see <see cref="Postings.Validate"/>).</exception>
    public static async Task<bool> PostAsync(NpgsqlConnection conn, NpgsqlTransaction tx, JournalEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(tx);
        Postings.Validate(entry);
        await using var cmd = new NpgsqlCommand(InsertSql, conn, tx);
        cmd.Parameters.Add(new() { Value = entry.Id });
        cmd.Parameters.Add(new() { Value = entry.Kind });
        cmd.Parameters.Add(new() { Value = entry.SourceId });
        cmd.Parameters.Add(new() { Value = (object?)entry.OrderId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new() { Value = (object?)entry.EventId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new() { Value = entry.Currency });
        cmd.Parameters.Add(new() { Value = entry.OccurredAt.ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = entry.Memo ?? "" });
        cmd.Parameters.Add(new() { Value = entry.Lines.Select(l => LedgerAccounts.Name(l.Account)).ToArray() });
        cmd.Parameters.Add(new() { Value = entry.Lines.Select(l => l.DebitMinor).ToArray() });
        cmd.Parameters.Add(new() { Value = entry.Lines.Select(l => l.CreditMinor).ToArray() });
        cmd.Parameters.Add(new() { Value = entry.Lines.Select(l => l.ClassId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new() { Value = entry.Lines.Select(l => l.Quantity).ToArray() });
        cmd.Parameters.Add(new() { Value = entry.Lines.Select(l => l.VoucherId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }
}
