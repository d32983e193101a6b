namespace TicketAspire.Inventory.Pricing;

/// <summary>
/// The range a dynamic price may take where dynamic pricing applies, in percent of face value (the jurisdiction's
/// <c>dynamic_price_min_percent</c> and <c>dynamic_price_max_percent</c>).
/// </summary>
/// <param name="MinPercent">Lowest price, percent of face value.</param>
/// <param name="MaxPercent">Highest price, percent of face value.</param>
public sealed record PriceRange(int MinPercent, int MaxPercent);
