namespace TicketAspire.Worker;

/// <summary>How often the worker looks for events whose money is due to their reseller (section <c>Payouts</c>).</summary>
public sealed class PayoutOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Payouts";

    /// <summary>Pause between runs over every reseller.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
