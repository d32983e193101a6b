namespace TicketAspire.Inventory.Pricing;

/// <summary>
/// The arithmetic of dynamic pricing. Multipliers are integers in basis points of face value (<see cref="FaceValue"/> =
/// 10,000 = 1.0×); prices are integer minor units, rounded down (<see cref="Price"/>), so a price never exceeds its cap.
/// </summary>
public static class DemandPricing
{
    /// <summary>The multiplier of face value, in basis points.</summary>
    public const int FaceValue = 10_000;

    /// <summary>
    /// Weighted demand per 100 units of the event over the window (<see cref="PricingOptions"/>); 0 for an event without
    /// units.
    /// </summary>
    public static decimal Score(long views, long holds, long sales, long capacity, PricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return capacity <= 0 ? 0m
            : Math.Round(100m * (options.ViewWeight * views + options.HoldWeight * holds + options.SaleWeight * sales) / capacity, 4);
    }

    /// <summary>Where demand of <paramref name="score"/> sends the multiplier, in basis points.</summary>
    public static int Target(decimal score, PricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return score > options.HighScore ? options.HighPercent * 100
            : score > options.MediumScore ? options.MediumPercent * 100
            : score < options.LowScore ? options.LowPercent * 100
            : FaceValue;
    }

    /// <summary>
    /// <paramref name="multiplier"/> within the jurisdiction's <paramref name="range"/>, then at most the event's own cap
    /// (<paramref name="eventMaxPercent"/>, if any): the event's cap wins over the jurisdiction's minimum.
    /// </summary>
    public static int Clamp(int multiplier, PriceRange range, int? eventMaxPercent)
    {
        ArgumentNullException.ThrowIfNull(range);
        var clamped = Math.Clamp(multiplier, range.MinPercent * 100, Math.Max(range.MinPercent, range.MaxPercent) * 100);
        return eventMaxPercent is { } cap ? Math.Min(clamped, cap * 100) : clamped;
    }

    /// <summary>
    /// The next multiplier: from <paramref name="current"/> at most <see cref="PricingOptions.MaxStepPercent"/> towards the
    /// target of <paramref name="score"/>, within the bounds (<see cref="Clamp"/>).
    /// </summary>
    public static int Next(int current, decimal score, PriceRange range, int? eventMaxPercent, PricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var from = Clamp(current, range, eventMaxPercent);
        var step = options.MaxStepPercent * 100;
        return Clamp(from + Math.Clamp(Target(score, options) - from, -step, step), range, eventMaxPercent);
    }

    /// <summary>The price of a unit of face value <paramref name="faceMinor"/> at <paramref name="multiplier"/>, rounded down.</summary>
    public static long Price(long faceMinor, int multiplier) => checked(faceMinor * multiplier) / FaceValue;

    /// <summary>A multiplier as a factor (12,500 → 1.25).</summary>
    public static decimal Factor(int multiplier) => multiplier / (decimal)FaceValue;
}
