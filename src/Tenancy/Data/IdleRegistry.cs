using System.Collections.Concurrent;

namespace TicketAspire.Tenancy.Data;

/// <summary>
/// A per-reseller cache of expensive connection objects, created on first use and evicted when idle. Evicted values
/// are disposed after a grace period rather than at once, so a request that fetched one just before eviction finishes.
/// </summary>
public abstract class IdleRegistry<TValue> : IAsyncDisposable where TValue : class, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ResellerStorageOptions _options;

    /// <summary>Creates the registry.</summary>
    protected IdleRegistry(TimeProvider time, ResellerStorageOptions options)
    {
        _time = time;
        _options = options;
    }

    /// <summary>The clock of the registry.</summary>
    protected TimeProvider Time => _time;

    /// <summary>Number of live entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The value for <paramref name="tenant"/>, created on first use.</summary>
    protected Task<TValue> GetOrCreateAsync(ResellerTenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var entry = _entries.GetOrAdd(tenant.Id, static (_, state) => state.Self.NewEntry(state.Tenant), (Self: this, Tenant: tenant));
        entry.LastUsedTicks = _time.GetTimestamp();
        return entry.Value.Value;
    }

    private Entry NewEntry(ResellerTenantInfo tenant)
    {
        Entry? entry = null;
        entry = new Entry(new Lazy<Task<TValue>>(async () =>
        {
            try
            {
                return await CreateAsync(tenant);
            }
            catch
            {
                // a failed creation is not cached: the next request tries again
                _entries.TryRemove(new KeyValuePair<string, Entry>(tenant.Id, entry!));
                throw;
            }
        }));
        return entry;
    }

    /// <summary>The value of <paramref name="id"/> if it exists and was created successfully, without touching its idle time.</summary>
    protected TValue? Peek(string id) =>
        _entries.TryGetValue(id, out var entry) && entry.Value.IsValueCreated && entry.Value.Value.IsCompletedSuccessfully
            ? entry.Value.Value.Result
            : null;

    /// <summary>Creates the value for a reseller.</summary>
    protected abstract Task<TValue> CreateAsync(ResellerTenantInfo tenant);

    /// <summary>Evicts entries idle for longer than the configured time; returns how many.</summary>
    public int EvictIdle()
    {
        var now = _time.GetTimestamp();
        var evicted = 0;
        foreach (var (key, entry) in _entries)
        {
            if (_time.GetElapsedTime(entry.LastUsedTicks, now) < _options.IdleEviction)
            {
                continue;
            }

            if (_entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
            {
                evicted++;
                _ = DisposeLaterAsync(entry);
            }
        }

        return evicted;
    }

    private async Task DisposeLaterAsync(Entry entry)
    {
        await Task.Delay(_options.DisposeGrace, _time);
        await DisposeEntryAsync(entry);
    }

    private static async Task DisposeEntryAsync(Entry entry)
    {
        if (!entry.Value.IsValueCreated)
        {
            return;
        }

        try
        {
            var value = await entry.Value.Value;
            await value.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // creation failed: nothing to dispose
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await OnDisposeAsync();
        foreach (var (key, entry) in _entries)
        {
            if (_entries.TryRemove(key, out _))
            {
                await DisposeEntryAsync(entry);
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Runs first when the registry is disposed (stops a derived registry's own background work).</summary>
    protected virtual ValueTask OnDisposeAsync() => ValueTask.CompletedTask;

    private sealed class Entry(Lazy<Task<TValue>> value)
    {
        public Lazy<Task<TValue>> Value { get; } = value;

        public long LastUsedTicks { get; set; }
    }
}
