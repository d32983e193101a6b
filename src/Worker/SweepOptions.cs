namespace TicketAspire.Worker;

/// <summary>How often and how much the worker sweeps expired holds.</summary>
public sealed class SweepOptions
{
    /// <summary>Pause between sweeps of every reseller.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most holds released per statement; a reseller is swept until fewer remain.</summary>
    public int BatchSize { get; set; } = 500;
}
