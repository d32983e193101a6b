namespace TicketAspire.Worker;

/// <summary>How often the refund worker runs (section <c>RefundWorker</c>).</summary>
public sealed class RefundWorkerOptions
{
    /// <summary>Pause between rounds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Refunds per query.</summary>
    public int BatchSize { get; set; } = 50;
}
