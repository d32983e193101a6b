using System.Threading.Channels;
using TicketAspire.Inventory.Queue;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>
/// One open queue-position stream: the latest place its feed read for the customer (older ones are dropped: only the
/// latest matters), or null once the customer is no longer in line. Dispose to leave the feed and free the slot.
/// </summary>
public sealed class QueueWatch(string customerRef, QueueEntryView first, Action<QueueWatch> leave) : IDisposable
{
    private readonly Channel<QueueEntryView?> _updates = Channel.CreateBounded<QueueEntryView?>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private int _disposed;

    /// <summary>The customer whose place this is.</summary>
    public string CustomerRef => customerRef;

    /// <summary>The place last read (first: the one the stream opened with).</summary>
    public QueueEntryView? Last { get; private set; } = first;

    /// <summary>What the feed reads, as it reads it.</summary>
    public ChannelReader<QueueEntryView?> Updates => _updates.Reader;

    /// <summary>Called by the feed with each read (null: not in line any more).</summary>
    public void Publish(QueueEntryView? view)
    {
        Last = view;
        _updates.Writer.TryWrite(view);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _updates.Writer.TryComplete();
            leave(this);
        }
    }
}
