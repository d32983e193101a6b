namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>Live seat updates (<c>GET /v1/events/{id}/stream</c>), bound from <c>LiveUpdates</c>.</summary>
public sealed class LiveUpdateOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "LiveUpdates";

    /// <summary>How often each watched event's outbox is read without a wake-up (a lost publish, Redis down).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a stream stays silent before a <c>heartbeat</c> event keeps proxies from closing it.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Batches a slow watcher may fall behind before the oldest are dropped (it then re-reads the outbox).</summary>
    public int WatcherBuffer { get; set; } = 32;
}
