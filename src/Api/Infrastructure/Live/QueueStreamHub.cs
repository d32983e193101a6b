using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Extensions;
using TicketAspire.Inventory.Queue;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>
/// The replica's open queue-position streams (<c>GET /v1/queue/events/{id}/me/stream</c>), grouped per (reseller, event)
/// into one <see cref="QueueFeed"/> each, like <see cref="EventStreamHub"/> does for seat streams; capped per replica
/// (<c>WaitingRoom:MaxStreams</c>) and per customer (<c>WaitingRoom:MaxStreamsPerCustomer</c>).
/// </summary>
public sealed class QueueStreamHub : IAsyncDisposable
{
    /// <summary>How often a feed looks at its room.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly FeedSet<QueueFeed, QueueWatch> _feeds = new();
    private readonly StreamQuota _quota;
    private readonly ResellerDataSources _dataSources;
    private readonly AdmissionTokens _tokens;
    private readonly WaitingRoomCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueStreamHub> _logger;
    private readonly Counter<long> _reads;

    public QueueStreamHub(ResellerDataSources dataSources, AdmissionTokens tokens, WaitingRoomCache cache, IOptions<WaitingRoomOptions> options,
        TimeProvider time, IMeterFactory meters, ILogger<QueueStreamHub> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _quota = new StreamQuota(options.Value.MaxStreams, options.Value.MaxStreamsPerCustomer);
        (_dataSources, _tokens, _cache, _time, _logger) = (dataSources, tokens, cache, time, logger);
        var meter = meters.Create(EventStreamHub.MeterName);
        meter.CreateObservableGauge("ticketaspire.queue.streams", () => _quota.Open, description: "Open queue-position streams of this replica");
        _reads = meter.CreateCounter<long>("ticketaspire.queue.places_read", description: "Queue places read again for open streams");
    }

    /// <summary>Open queue-position streams of this replica.</summary>
    public int Streams => _quota.Open;

    /// <summary>
    /// Follows <paramref name="first"/>'s customer in <paramref name="eventId"/>'s line; null with the cap that refused it.
    /// Dispose the watch when the stream ends.
    /// </summary>
    public (QueueWatch? Watch, StreamQuotaResult Result) Watch(ResellerTenantInfo tenant, Guid eventId, QueueEntryView first)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(first);
        var slot = $"{tenant.Id}:{first.CustomerRef}";
        var result = _quota.TryAcquire(slot);
        if (result != StreamQuotaResult.Acquired)
        {
            return (null, result);
        }

        var watch = _feeds.Join((tenant.Id, eventId),
            () => new QueueFeed(eventId, async () => new WaitingRoomService(await _dataSources.GetAsync(tenant), _tokens, tenant.Id, _cache, _time),
                PollInterval, _time, _logger, n => _reads.Add(n)),
            (_, leave) => new QueueWatch(first.CustomerRef, first, w =>
            {
                _quota.Release(slot);
                leave(w);
            }));
        return (watch, result);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _feeds.DisposeAsync();
}
