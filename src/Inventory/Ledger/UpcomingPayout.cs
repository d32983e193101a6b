namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// What an event's reseller_payable balance will pay out: <paramref name="PayoutOn"/> is the event's start plus the
/// payout delay, or now when that has passed and the money is not yet paid (<paramref name="Status"/> <c>scheduled</c>
/// or <c>due</c>); a negative <paramref name="AmountMinor"/> is owed by the reseller (status <c>owed</c>, no date).
/// </summary>
public sealed record UpcomingPayout(
    Guid EventId, string EventName, DateTimeOffset StartsAt, DateTimeOffset? PayoutOn, long AmountMinor, string Status);
