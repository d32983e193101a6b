namespace TicketAspire.Inventory.Ledger;

/// <summary>What the reseller will receive and when (<paramref name="Upcoming"/>, soonest first), and what it received (<paramref name="Paid"/>, newest first).</summary>
public sealed record PayoutForecast(
    DateTimeOffset AsOf, string Currency, long UpcomingTotal, IReadOnlyList<UpcomingPayout> Upcoming, IReadOnlyList<PastPayout> Paid);
