namespace TicketAspire.Inventory.Ledger;

/// <summary><paramref name="Quantity"/> tickets of one class whose prices add up to <paramref name="SubtotalMinor"/>.</summary>
public sealed record ClassAmount(Guid ClassId, int Quantity, long SubtotalMinor);
