using System.Threading.Channels;
using StackExchange.Redis;
using TicketAspire.Inventory.Live;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>
/// One watched event of one reseller on this replica: one Redis subscription to <c>seats:&lt;event&gt;</c> and one reader
/// of the event's outbox, whatever the number of watchers. A wake-up (coalesced) or the poll interval triggers a read;
/// what it finds goes to every watcher.
/// </summary>
internal sealed partial class EventFeed(
    ResellerTenantInfo tenant,
    Guid eventId,
    ResellerDataSources dataSources,
    ResellerRedisConnections redis,
    LiveUpdateOptions options,
    TimeProvider time,
    ILogger logger) : ILiveFeed<EventWatch>
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RedisChannel _channel = RedisChannel.Literal(InventoryCache.SeatsChannel(eventId));
    private volatile EventWatch[] _watchers = [];
    private IConnectionMultiplexer? _subscribed;
    private Task _loop = Task.CompletedTask;
    private bool _woken;
    private int _quickRereads;
    private Action<RedisChannel, RedisValue>? _onMessage;

    /// <summary>The watchers (changed only under the hub's lock).</summary>
    public EventWatch[] Watchers => _watchers;

    /// <summary>True while the Redis subscription is in place.</summary>
    public bool Subscribed => Volatile.Read(ref _subscribed) is not null;

    /// <summary>Completes once the first subscription attempt is over (watchers wait for it before their first event).</summary>
    public Task Ready => _ready.Task;

    public void Add(EventWatch watch) => _watchers = [.. _watchers, watch];

    public void Remove(EventWatch watch) => _watchers = [.. _watchers.Where(w => w != watch)];

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops reading and unsubscribes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        StreamCursor? cursor = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await EnsureSubscribedAsync();
                    _ready.TrySetResult();
                    var feed = new SeatFeed(await dataSources.GetAsync(tenant));
                    cursor ??= await feed.HeadAsync(eventId, ct);
                    var before = cursor.Value;
                    cursor = await ReadAsync(feed, before, ct);
                    // woken but nothing readable yet: the change's row waits for a transaction that is still running
                    // somewhere on the server to finish (rows are read in commit-safe order), so look again shortly
                    // instead of at the next poll
                    _quickRereads = _woken && cursor.Value == before ? QuickRereads : Math.Max(0, _quickRereads - 1);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    _ready.TrySetResult();
                    LogReadFailed(logger, ex, tenant.Id, eventId);
                }

                await WaitAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _ready.TrySetResult();
            await UnsubscribeAsync();
        }
    }

    private async Task<StreamCursor> ReadAsync(SeatFeed feed, StreamCursor cursor, CancellationToken ct)
    {
        while (true)
        {
            var rows = await feed.ReadAsync(eventId, cursor, SeatFeed.PageSize, ct);
            if (rows.Count == 0)
            {
                return cursor;
            }

            var entries = rows.Select(r => (r.Cursor, Update: SeatChangeMapper.Map(r)))
                .Where(e => e.Update is not null).Select(e => new FeedEntry(e.Cursor, e.Update!)).ToList();
            var batch = new FeedBatch(cursor, rows[^1].Cursor, entries);
            foreach (var watch in _watchers)
            {
                watch.Offer(batch);
            }

            cursor = batch.To;
            if (rows.Count < SeatFeed.PageSize)
            {
                return cursor;
            }
        }
    }

    /// <summary>Re-reads 50 ms apart after a wake-up found nothing settled yet (at most half a second).</summary>
    private const int QuickRereads = 10;

    private async Task WaitAsync(CancellationToken ct)
    {
        var wait = _quickRereads > 0 ? TimeSpan.FromMilliseconds(50) : options.PollInterval;
        using var poll = new CancellationTokenSource(wait, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, poll.Token);
        try
        {
            await _wake.Reader.ReadAsync(either.Token);
            _woken = true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the poll (or a quick re-read, counting down): read anyway
            _woken = false;
        }
    }

    private async Task EnsureSubscribedAsync()
    {
        // the registry may have replaced the reseller's connection (idle eviction): follow it
        var multiplexer = await redis.GetAsync(tenant);
        if (ReferenceEquals(multiplexer, _subscribed))
        {
            return;
        }

        await UnsubscribeAsync();
        if (!multiplexer.IsConnected)
        {
            return;
        }

        try
        {
            // our own handler, removed by itself: a newer feed of the same event may share the connection
            _onMessage ??= (_, _) => _wake.Writer.TryWrite(true);
            await multiplexer.GetSubscriber().SubscribeAsync(_channel, _onMessage);
            Volatile.Write(ref _subscribed, multiplexer);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogSubscribeFailed(logger, ex, tenant.Id, eventId);
        }
    }

    private async Task UnsubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, null) is not { } multiplexer)
        {
            return;
        }

        try
        {
            await multiplexer.GetSubscriber().UnsubscribeAsync(_channel, _onMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogSubscribeFailed(logger, ex, tenant.Id, eventId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates of reseller {Reseller}, event {EventId}: reading the outbox failed, retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception ex, string reseller, Guid eventId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live updates of reseller {Reseller}, event {EventId}: Redis (un)subscribe failed, polling")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception ex, string reseller, Guid eventId);
}
