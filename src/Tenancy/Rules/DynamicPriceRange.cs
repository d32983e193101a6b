namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// How far a dynamic price may move from face value where dynamic pricing applies, in percent of face value: the
/// jurisdiction's <c>dynamic_price_min_percent</c> and <c>dynamic_price_max_percent</c>.
/// </summary>
/// <param name="MinPercent">Lowest price, percent of face value (1..100).</param>
/// <param name="MaxPercent">Highest price, percent of face value (100..1000).</param>
public sealed record DynamicPriceRange(int MinPercent, int MaxPercent);
