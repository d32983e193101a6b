namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// An account's debits and credits up to a point in time, and its balance on its normal side (debits − credits for
/// <c>psp_clearing</c>, credits − debits for the others).
/// </summary>
public sealed record AccountBalance(LedgerAccount Account, long Debits, long Credits, long Balance);
