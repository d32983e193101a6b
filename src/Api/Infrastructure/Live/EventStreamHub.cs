using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>
/// The replica's live watchers, grouped per (reseller, event): each watched event has one <see cref="EventFeed"/> (one
/// Redis subscription, one outbox reader) however many clients watch it; the feed stops when its last watcher leaves.
/// </summary>
public sealed class EventStreamHub : IAsyncDisposable
{
    /// <summary>Meter of the live updates (<c>ticketaspire.live.watchers</c>, <c>ticketaspire.live.subscriptions</c>).</summary>
    public const string MeterName = "TicketAspire.Live";

    private readonly FeedSet<EventFeed, EventWatch> _feeds = new();
    private readonly ResellerDataSources _dataSources;
    private readonly ResellerRedisConnections _redis;
    private readonly LiveUpdateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventStreamHub> _logger;

    public EventStreamHub(ResellerDataSources dataSources, ResellerRedisConnections redis, IOptions<LiveUpdateOptions> options,
        TimeProvider time, IMeterFactory meters, ILogger<EventStreamHub> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _dataSources = dataSources;
        _redis = redis;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("ticketaspire.live.watchers", () => Watchers, description: "Clients watching an event on this replica");
        meter.CreateObservableGauge("ticketaspire.live.subscriptions", () => Subscriptions,
            description: "Redis subscriptions of this replica (one per watched event)");
    }

    /// <summary>Clients watching an event on this replica.</summary>
    public int Watchers => _feeds.Read(feeds => feeds.Sum(f => f.Watchers.Length));

    /// <summary>Redis subscriptions in place on this replica.</summary>
    public int Subscriptions => _feeds.Read(feeds => feeds.Count(f => f.Subscribed));

    /// <summary>Starts watching <paramref name="eventId"/> of <paramref name="tenant"/>; dispose the watch to stop.</summary>
    public EventWatch Watch(ResellerTenantInfo tenant, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _feeds.Join((tenant.Id, eventId),
            () => new EventFeed(tenant, eventId, _dataSources, _redis, _options, _time, _logger),
            (feed, leave) => new EventWatch(feed, leave, _options, _time));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _feeds.DisposeAsync();
}
