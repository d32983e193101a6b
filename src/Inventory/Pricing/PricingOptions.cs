namespace TicketAspire.Inventory.Pricing;

/// <summary>
/// How the worker turns demand into a price multiplier (section <c>Pricing</c>). The demand score of an event is
/// <c>100 × (ViewWeight × views + HoldWeight × held units + SaleWeight × sold units) / capacity</c> over the last
/// <see cref="Window"/>: weighted signals per 100 units of the event. Above <see cref="HighScore"/> the target is
/// <see cref="HighPercent"/> of face value, above <see cref="MediumScore"/> <see cref="MediumPercent"/>, below
/// <see cref="LowScore"/> <see cref="LowPercent"/>, otherwise face value; each pass moves the multiplier at most
/// <see cref="MaxStepPercent"/> towards its target.
/// </summary>
public sealed class PricingOptions
{
    /// <summary>Pause between passes over every reseller.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The sliding window the signals are counted over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Weight of an event-page view.</summary>
    public decimal ViewWeight { get; set; } = 0.3m;

    /// <summary>Weight of a held unit (seat or ticket put on hold: "add to cart").</summary>
    public decimal HoldWeight { get; set; } = 0.5m;

    /// <summary>Weight of a sold unit.</summary>
    public decimal SaleWeight { get; set; } = 0.2m;

    /// <summary>Score below which demand is low.</summary>
    public decimal LowScore { get; set; } = 5m;

    /// <summary>Score above which demand is medium.</summary>
    public decimal MediumScore { get; set; } = 20m;

    /// <summary>Score above which demand is high.</summary>
    public decimal HighScore { get; set; } = 50m;

    /// <summary>Target at low demand, percent of face value.</summary>
    public int LowPercent { get; set; } = 90;

    /// <summary>Target at medium demand, percent of face value.</summary>
    public int MediumPercent { get; set; } = 120;

    /// <summary>Target at high demand, percent of face value.</summary>
    public int HighPercent { get; set; } = 150;

    /// <summary>Most the multiplier moves in one pass, percentage points of face value (smooth transitions).</summary>
    public int MaxStepPercent { get; set; } = 10;

    /// <summary>True when every value is usable.</summary>
    public bool IsValid() =>
        Interval > TimeSpan.Zero && Window >= TimeSpan.FromMinutes(1) && ViewWeight >= 0 && HoldWeight >= 0 && SaleWeight >= 0
        && LowScore >= 0 && LowScore <= MediumScore && MediumScore <= HighScore
        && LowPercent is >= 1 and <= 1000 && MediumPercent is >= 1 and <= 1000 && HighPercent is >= 1 and <= 1000 && MaxStepPercent is >= 1 and <= 1000;
}
