namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// One line of a journal entry: exactly one of <paramref name="DebitMinor"/> and <paramref name="CreditMinor"/> is
/// positive, the other zero. <paramref name="ClassId"/> and <paramref name="Quantity"/> tie ticket amounts to a ticket
/// class (for reports); fee lines have neither. <paramref name="VoucherId"/> marks a sale's discount line: the voucher that
/// took it off.
/// </summary>
public sealed record JournalLine(LedgerAccount Account, long DebitMinor, long CreditMinor, Guid? ClassId = null, int Quantity = 0, Guid? VoucherId = null);
