using System.Collections.Concurrent;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// In-process memory of which events have an enabled waiting room, so a hold on an ordinary event costs no extra query.
/// Entries live <see cref="Ttl"/>: a room enabled through another API replica takes effect here within that time (this
/// replica's own changes at once). Keys carry the reseller database. Bounded: cleared past <see cref="MaxEntries"/>.
/// </summary>
public sealed class WaitingRoomCache(TimeProvider time)
{
    /// <summary>How long an answer is trusted.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    /// <summary>Entries kept before the cache starts over.</summary>
    public const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<(string Database, Guid EventId), (bool Enabled, DateTimeOffset Until)> _entries = new();

    /// <summary>The remembered answer, if still fresh.</summary>
    public bool? Get(string database, Guid eventId) =>
        _entries.TryGetValue((database, eventId), out var e) && e.Until > time.GetUtcNow() ? e.Enabled : null;

    /// <summary>Remembers whether the event has an enabled waiting room.</summary>
    public void Set(string database, Guid eventId, bool enabled)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(database, eventId)] = (enabled, time.GetUtcNow() + Ttl);
    }

    /// <summary>Forgets the answer for an event (its room was just changed).</summary>
    public void Invalidate(string database, Guid eventId) => _entries.TryRemove((database, eventId), out _);
}
