namespace TicketAspire.Inventory.Ledger;

/// <summary>A page of raw journal entries with their lines, oldest first.</summary>
public sealed record JournalPage(IReadOnlyList<JournalEntry> Entries, int Page, int Size);
