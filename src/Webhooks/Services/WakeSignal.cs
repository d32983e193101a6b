namespace TicketAspire.Webhooks.Services;

/// <summary>
/// Wakes a waiting loop early: <see cref="Set"/> completes <see cref="Task"/>; the loop <see cref="Reset"/>s it before
/// each pass, so a signal that arrives during a pass makes the next wait return at once.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when signalled.</summary>
    public Task Task => Volatile.Read(ref _source).Task;

    public void Set() => Volatile.Read(ref _source).TrySetResult();

    public void Reset()
    {
        var current = Volatile.Read(ref _source);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _source, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }
}
