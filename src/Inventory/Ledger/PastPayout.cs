namespace TicketAspire.Inventory.Ledger;

/// <summary>A payout posted to the ledger.</summary>
public sealed record PastPayout(string PayoutId, Guid? EventId, string? EventName, DateTimeOffset PaidAt, long AmountMinor);
