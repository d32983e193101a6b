namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>A feed that serves every watcher of one (reseller, event) on this replica.</summary>
internal interface ILiveFeed<TWatch> : IAsyncDisposable
    where TWatch : class
{
    /// <summary>The watchers now.</summary>
    TWatch[] Watchers { get; }

    /// <summary>Adds a watcher (under the set's lock).</summary>
    void Add(TWatch watch);

    /// <summary>Removes a watcher (under the set's lock).</summary>
    void Remove(TWatch watch);

    /// <summary>Starts the feed's loop (once, with its first watcher).</summary>
    void Start();
}

/// <summary>
/// The feeds of one hub, one per (reseller, event): a feed is made and started with its first watcher and stopped and
/// dropped when its last watcher leaves, so one Redis subscription or one reader serves every watcher of an event.
/// </summary>
internal sealed class FeedSet<TFeed, TWatch> : IAsyncDisposable
    where TFeed : class, ILiveFeed<TWatch>
    where TWatch : class
{
    private readonly Dictionary<(string Reseller, Guid EventId), TFeed> _feeds = [];
    private readonly Lock _gate = new();

    /// <summary>Reads the feeds under the set's lock (gauges).</summary>
    public T Read<T>(Func<IEnumerable<TFeed>, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read(_feeds.Values);
        }
    }

    /// <summary>
    /// Adds a watcher of <paramref name="key"/>'s feed, made by <paramref name="create"/> if there is none yet;
    /// <paramref name="watch"/> makes the watcher from the feed and the action that removes it again.
    /// </summary>
    public TWatch Join((string Reseller, Guid EventId) key, Func<TFeed> create, Func<TFeed, Action<TWatch>, TWatch> watch)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(watch);
        lock (_gate)
        {
            var started = false;
            if (!_feeds.TryGetValue(key, out var feed))
            {
                feed = create();
                _feeds[key] = feed;
                started = true;
            }

            var watcher = watch(feed, w => Leave(key, feed, w));
            feed.Add(watcher);
            if (started)
            {
                feed.Start();
            }

            return watcher;
        }
    }

    private void Leave((string, Guid) key, TFeed feed, TWatch watch)
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
        TFeed[] feeds;
        lock (_gate)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        await Task.WhenAll(feeds.Select(f => f.DisposeAsync().AsTask()));
    }
}
