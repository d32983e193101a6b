namespace TicketAspire.Webhooks.Services;

/// <summary>Delivery settings (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Waits after each failed attempt; after the last one fails the delivery is dead. The default adds up to a little over
    /// three days.
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>The default <see cref="RetrySchedule"/>: 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    /// <summary>The schedule in effect (<see cref="DefaultRetrySchedule"/> when none is configured).</summary>
    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;

    /// <summary>Random spread of each retry wait, as a fraction (0.1 = ±10%).</summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>Pause between passes of the dispatcher, deliverer and mail sender over every reseller.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most outbox rows, deliveries or mail jobs taken per statement.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claimed delivery stays invisible to other workers; a worker that dies mid-send releases it then.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most deliveries of one reseller in flight at once. Each reseller is sent for on its own, so a reseller whose
    /// endpoints hang fills only its own slots.
    /// </summary>
    public int MaxConcurrentDeliveriesPerReseller { get; set; } = 8;

    /// <summary>Most deliveries to one endpoint in flight at once, so one hanging endpoint leaves its reseller's other endpoints slots.</summary>
    public int MaxConcurrentDeliveriesPerEndpoint { get; set; } = 4;

    /// <summary>Most endpoints a reseller may register (enabled or not); more are refused.</summary>
    public int MaxEndpoints { get; set; } = 20;

    /// <summary>How long a rotated-out secret keeps signing.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Sender address of end-user e-mails.</summary>
    public string MailFrom { get; set; } = "tickets@ticketaspire.invalid";
}
