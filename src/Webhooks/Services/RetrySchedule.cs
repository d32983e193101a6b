namespace TicketAspire.Webhooks.Services;

/// <summary>When a failed delivery is tried again.</summary>
public static class RetrySchedule
{
    /// <summary>
    /// The wait after attempt number <paramref name="attemptsMade"/> failed (1 = the first attempt), with jitter; null when
    /// the schedule is exhausted and the delivery is dead.
    /// </summary>
    public static TimeSpan? NextDelay(IReadOnlyList<TimeSpan> schedule, int attemptsMade, double jitter, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(random);
        if (attemptsMade < 1 || attemptsMade > schedule.Count)
        {
            return null;
        }

        var wait = schedule[attemptsMade - 1];
        var factor = 1 + (((random() * 2) - 1) * jitter);
        return TimeSpan.FromTicks((long)(wait.Ticks * factor));
    }
}
