namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// A balanced, immutable journal entry: one business fact (<paramref name="Kind"/>, see <see cref="JournalKinds"/>,
/// identified by <paramref name="SourceId"/>) as lines whose debits equal their credits, all in <paramref name="Currency"/>.
/// Build entries with <see cref="Postings"/> and write them with <see cref="Ledger.PostAsync"/>.
/// </summary>
public sealed record JournalEntry(
    Guid Id, string Kind, string SourceId, Guid? OrderId, Guid? EventId, string Currency, DateTimeOffset OccurredAt, string Memo,
    IReadOnlyList<JournalLine> Lines)
{
    /// <summary>Sum of the lines' debits.</summary>
    public long TotalDebitMinor => Lines.Aggregate(0L, (sum, l) => checked(sum + l.DebitMinor));

    /// <summary>Sum of the lines' credits.</summary>
    public long TotalCreditMinor => Lines.Aggregate(0L, (sum, l) => checked(sum + l.CreditMinor));
}
