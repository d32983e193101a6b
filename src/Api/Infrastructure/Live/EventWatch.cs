using System.Runtime.CompilerServices;
using System.Threading.Channels;
using TicketAspire.Inventory.Live;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>
/// One client watching an event on this replica. It reads what it missed from the outbox itself (a <c>Last-Event-ID</c>,
/// or batches dropped because it was slow), then takes the batches its <see cref="EventFeed"/> fans out, keeping only
/// rows after its own position: nothing is missed and nothing is sent twice.
/// </summary>
public sealed class EventWatch : IDisposable
{
    private readonly Channel<FeedBatch> _batches;
    private readonly EventFeed _feed;
    private readonly Action<EventWatch> _leave;
    private readonly LiveUpdateOptions _options;
    private readonly TimeProvider _time;
    private int _disposed;

    internal EventWatch(EventFeed feed, Action<EventWatch> leave, LiveUpdateOptions options, TimeProvider time)
    {
        _feed = feed;
        _leave = leave;
        _options = options;
        _time = time;
        _batches = Channel.CreateBounded<FeedBatch>(new BoundedChannelOptions(options.WatcherBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
    }

    /// <summary>Completes once the replica listens for the event's wake-ups (or gave up trying; then it polls).</summary>
    public Task ReadyAsync(CancellationToken ct) => _feed.Ready.WaitAsync(TimeSpan.FromSeconds(2), _time, ct)
        .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    internal void Offer(FeedBatch batch) => _batches.Writer.TryWrite(batch);

    /// <summary>
    /// The event's seat changes after <paramref name="after"/>, in log order, without end; <c>null</c> after each
    /// <see cref="LiveUpdateOptions.HeartbeatInterval"/> without one.
    /// </summary>
    public async IAsyncEnumerable<LiveUpdate?> UpdatesAsync(Guid eventId, StreamCursor after, SeatFeed log, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        var cursor = after;
        await foreach (var (position, update) in CatchUpAsync(eventId, cursor, log, ct))
        {
            cursor = position;
            if (update is not null)
            {
                yield return update;
            }
        }

        while (true)
        {
            var batch = await NextAsync(ct);
            if (batch is null)
            {
                yield return null;
                continue;
            }

            if (batch.To <= cursor)
            {
                continue;
            }

            if (batch.From > cursor)
            {
                // a gap: batches were dropped, or the feed started reading after our catch-up did
                await foreach (var (position, update) in CatchUpAsync(eventId, cursor, log, ct))
                {
                    cursor = position;
                    if (update is not null)
                    {
                        yield return update;
                    }
                }
            }

            foreach (var entry in batch.Entries)
            {
                if (entry.Cursor > cursor)
                {
                    cursor = entry.Cursor;
                    yield return entry.Update;
                }
            }

            cursor = StreamCursor.Max(cursor, batch.To);
        }
    }

    private static async IAsyncEnumerable<(StreamCursor Position, LiveUpdate? Update)> CatchUpAsync(
        Guid eventId, StreamCursor after, SeatFeed log, [EnumeratorCancellation] CancellationToken ct)
    {
        var cursor = after;
        while (true)
        {
            var rows = await log.ReadAsync(eventId, cursor, SeatFeed.PageSize, ct);
            foreach (var row in rows)
            {
                cursor = row.Cursor;
                yield return (row.Cursor, SeatChangeMapper.Map(row));
            }

            if (rows.Count < SeatFeed.PageSize)
            {
                yield break;
            }
        }
    }

    private async Task<FeedBatch?> NextAsync(CancellationToken ct)
    {
        if (_batches.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var heartbeat = new CancellationTokenSource(_options.HeartbeatInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, heartbeat.Token);
        try
        {
            return await _batches.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _batches.Writer.TryComplete();
            _leave(this);
        }
    }
}
