using Npgsql;
using TicketAspire.Inventory.Ledger;
using JournalLedger = TicketAspire.Inventory.Ledger.Ledger;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>Posting helpers for ledger tests.</summary>
public static class LedgerDb
{
    /// <summary>Posts <paramref name="entry"/> in a transaction of its own and commits it.</summary>
    public static async Task<bool> PostAsync(NpgsqlDataSource db, JournalEntry entry)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var posted = await JournalLedger.PostAsync(conn, tx, entry, CancellationToken.None);
        await tx.CommitAsync();
        return posted;
    }

    /// <summary>Entries whose debits differ from their credits or that have fewer than two lines (should be none).</summary>
    public static Task<long> UnbalancedEntriesAsync(InventoryHarness inventory) => inventory.ScalarAsync<long>("""
        SELECT count(*) FROM journal_entries e
        WHERE (SELECT count(*) FROM journal_lines l WHERE l.entry_id = e.id) < 2
           OR (SELECT sum(debit_minor) - sum(credit_minor) FROM journal_lines l WHERE l.entry_id = e.id) <> 0
        """);
}
