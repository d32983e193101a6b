namespace TicketAspire.Worker;

/// <summary>
/// The data retention pass (section <c>Retention</c>); the period itself is the cell's rule
/// <c>CellRules:DataRetentionDays</c> (0 or absent: personal data is kept for ever and no pass runs).
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Days after which end users' personal data is erased, from <c>CellRules:DataRetentionDays</c>.</summary>
    public int Days { get; set; }

    /// <summary>Pause between passes over every reseller.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Most rows one statement changes or deletes; a table is gone through until fewer remain.</summary>
    public int BatchSize { get; set; } = 1_000;
}
