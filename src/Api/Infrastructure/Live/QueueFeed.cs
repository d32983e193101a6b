using TicketAspire.Inventory.Queue;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>
/// The queue-position streams of one event of one reseller on this replica, read together: once per interval one cheap
/// look at the room (<see cref="WaitingRoomService.StampAsync"/>); only when it changed (an admission round, new settings)
/// is everyone's place read again, in one statement, otherwise only the admitted customers' (whose window may end or be
/// used). What is read goes to every watcher of the customer.
/// </summary>
internal sealed partial class QueueFeed(
    Guid eventId, Func<Task<WaitingRoomService>> rooms, TimeSpan interval, TimeProvider time, ILogger logger, Action<int> onRead) : ILiveFeed<QueueWatch>
{
    private readonly CancellationTokenSource _stop = new();
    private volatile QueueWatch[] _watchers = [];
    private (DateTimeOffset, DateTimeOffset, bool)? _stamp;
    private Task _loop = Task.CompletedTask;

    /// <summary>The watchers (changed only under the hub's lock).</summary>
    public QueueWatch[] Watchers => _watchers;

    public void Add(QueueWatch watch) => _watchers = [.. _watchers, watch];

    public void Remove(QueueWatch watch) => _watchers = [.. _watchers.Where(w => w != watch)];

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops reading.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, ct);
                await PollAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogPollFailed(logger, ex, eventId);
            }
        }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        var watchers = _watchers;
        if (watchers.Length == 0)
        {
            return;
        }

        var service = await rooms();
        var stamp = await service.StampAsync(eventId, ct);
        var changed = stamp is null || stamp != _stamp;
        // unchanged room: nobody waiting moved; admitted customers may still have used or outlived their window
        var due = watchers.Where(w => changed || w.Last?.Status == QueueStatus.Admitted).Select(w => w.CustomerRef)
            .Distinct(StringComparer.Ordinal).ToArray();
        if (due.Length > 0)
        {
            var views = await service.GetEntriesAsync(eventId, due, ct);
            onRead(due.Length);
            foreach (var watch in watchers.Where(w => due.Contains(w.CustomerRef, StringComparer.Ordinal)))
            {
                watch.Publish(views.GetValueOrDefault(watch.CustomerRef));
            }
        }

        _stamp = stamp;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue streams of event {EventId}: reading the places failed; trying again")]
    private static partial void LogPollFailed(ILogger logger, Exception ex, Guid eventId);
}
