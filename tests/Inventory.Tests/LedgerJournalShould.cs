using Npgsql;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Tests.Infrastructure;
using JournalLedger = TicketAspire.Inventory.Ledger.Ledger;

namespace TicketAspire.Inventory.Tests;

/// <summary>The journal in the database: posted once, never changed, always balanced.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class LedgerJournalShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(LedgerJournalShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task PostAnEntryOnceAndReadItBack()
    {
        var sale = Sale();

        Assert.True(await LedgerDb.PostAsync(_inventory.Db, sale));
        Assert.False(await LedgerDb.PostAsync(_inventory.Db, sale));
        Assert.False(await LedgerDb.PostAsync(_inventory.Db, sale with { Id = Guid.NewGuid() }));   // same kind and source

        var page = await new LedgerReports(_inventory.Db).JournalAsync(1, 10, sale.OrderId, CancellationToken.None);
        var read = Assert.Single(page.Entries);
        Assert.Equal(sale.Lines, read.Lines);
        Assert.Equal((sale.Id, sale.Kind, sale.SourceId, sale.EventId, sale.OccurredAt), (read.Id, read.Kind, read.SourceId, read.EventId, read.OccurredAt));
        Assert.Equal(sale.Lines.Count, await _inventory.ScalarAsync<long>("SELECT count(*) FROM journal_lines"));
    }

    [Fact]
    public async Task WriteNothingWhenTheCallersTransactionRollsBack()
    {
        await using (var conn = await _inventory.Db.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            Assert.True(await JournalLedger.PostAsync(conn, tx, Sale(), CancellationToken.None));
            await tx.RollbackAsync();
        }

        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM journal_entries"));
    }

    [Theory]
    [InlineData("UPDATE journal_lines SET credit_minor = credit_minor + 1")]
    [InlineData("DELETE FROM journal_lines")]
    [InlineData("UPDATE journal_entries SET memo = 'changed'")]
    [InlineData("DELETE FROM journal_entries")]
    [InlineData("TRUNCATE journal_lines")]
    public async Task RefuseToChangeOrRemoveWhatWasPosted(string sql)
    {
        await LedgerDb.PostAsync(_inventory.Db, Sale());

        var ex = await Assert.ThrowsAsync<PostgresException>(() => _inventory.ScalarAsync<object>(sql));

        Assert.Equal(PostgresErrorCodes.RestrictViolation, ex.SqlState);
    }

    [Fact]
    public async Task RefuseAnUnbalancedEntryAtCommit()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => InsertRawAsync((100, 0), (0, 90)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
        Assert.Contains("unbalanced", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM journal_entries"));
    }

    [Fact]
    public async Task RefuseAnEntryOfOneLineOrNoneAtCommit()
    {
        Assert.Equal(PostgresErrorCodes.CheckViolation, (await Assert.ThrowsAsync<PostgresException>(() => InsertRawAsync((7, 0)))).SqlState);
        Assert.Equal(PostgresErrorCodes.CheckViolation, (await Assert.ThrowsAsync<PostgresException>(() => InsertRawAsync())).SqlState);
    }

    [Fact]
    public async Task RefuseALineWithBothSidesOrNeither()
    {
        var both = await Assert.ThrowsAsync<PostgresException>(() => InsertRawAsync((50, 50), (50, 50)));
        var neither = await Assert.ThrowsAsync<PostgresException>(() => InsertRawAsync((0, 0), (0, 0)));

        Assert.Equal("journal_line_one_side", both.ConstraintName);
        Assert.Equal("journal_line_one_side", neither.ConstraintName);
    }

    [Fact]
    public async Task AcceptABalancedEntryInsertedDirectly()
    {
        await InsertRawAsync((100, 0), (0, 60), (0, 40));

        Assert.Equal(0L, await LedgerDb.UnbalancedEntriesAsync(_inventory));
    }

    private static JournalEntry Sale() =>
        Postings.Sale(Guid.NewGuid(), Guid.NewGuid(), [new(Guid.NewGuid(), 2, 5_000)], FeeCalculator.Quote(new FeePlan { TaxRatePercent = 20 }, 5_000, 2, "EUR"), At);

    /// <summary>An entry and its lines by plain SQL in one transaction, bypassing every check of the code.</summary>
    private async Task InsertRawAsync(params (long Debit, long Credit)[] lines)
    {
        await using var conn = await _inventory.Db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var id = Guid.NewGuid();
        await using (var entry = new NpgsqlCommand(
            "INSERT INTO journal_entries (id, kind, source_id, currency, occurred_at) VALUES ($1, 'sale', $2, 'EUR', now())", conn, tx))
        {
            entry.Parameters.Add(new() { Value = id });
            entry.Parameters.Add(new() { Value = id.ToString() });
            await entry.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var (debit, credit) = lines[i];
            await using var line = new NpgsqlCommand(
                "INSERT INTO journal_lines (entry_id, line_no, account, debit_minor, credit_minor) VALUES ($1, $2, 'psp_clearing', $3, $4)", conn, tx);
            line.Parameters.Add(new() { Value = id });
            line.Parameters.Add(new() { Value = i + 1 });
            line.Parameters.Add(new() { Value = debit });
            line.Parameters.Add(new() { Value = credit });
            await line.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }
}
