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

    private readonly Dictionary<(string Reseller, Guid EventId), EventFeed> _feeds = [];
    private readonly Lock _gate = new();
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
    public int Watchers
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Values.Sum(f => f.Watchers.Length);
            }
        }
    }

    /// <summary>Redis subscriptions in place on this replica.</summary>
    public int Subscriptions
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Values.Count(f => f.Subscribed);
            }
        }
    }

    /// <summary>Starts watching <paramref name="eventId"/> of <paramref name="tenant"/>; dispose the watch to stop.</summary>
    public EventWatch Watch(ResellerTenantInfo tenant, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var key = (tenant.Id, eventId);
        lock (_gate)
        {
            var started = false;
            if (!_feeds.TryGetValue(key, out var feed))
            {
                feed = new EventFeed(tenant, eventId, _dataSources, _redis, _options, _time, _logger);
                _feeds[key] = feed;
                started = true;
            }

            var watch = new EventWatch(feed, w => Leave(key, feed, w), _options, _time);
            feed.Add(watch);
            if (started)
            {
                feed.Start();
            }

            return watch;
        }
    }

    private void Leave((string, Guid) key, EventFeed feed, EventWatch watch)
    {
        lock (_gate)
        {
            feed.Remove(watch);
            if (feed.Watchers.Length > 0 || !_feeds.Remove(key, out _))
            {
                return;
            }
        }

        _ = feed.DisposeAsync().AsTask();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        EventFeed[] feeds;
        lock (_gate)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        await Task.WhenAll(feeds.Select(f => f.DisposeAsync().AsTask()));
    }
}
