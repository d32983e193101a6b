using System.Collections.Concurrent;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// What a general-admission claim that came up short learned: how many tickets of a class were claimable at that moment.
/// For a short while (<see cref="Lifetime"/>) holds asking for more than that are answered <c>sold_out</c> without
/// touching Postgres, so the crowd that arrives after a sell-out costs an in-process lookup per hold instead of two scans
/// of the class. Only refusals are remembered, never availability, so it can make a hold wait a second for a returned
/// ticket but never oversell; a hold cancelled in this process forgets its event's entries at once. Per reseller
/// database, bounded like <see cref="EventMetadataCache"/>.
/// </summary>
public sealed class ShortfallMemo(TimeProvider time)
{
    /// <summary>Entries kept before the memo starts over.</summary>
    public const int MaxEntries = 50_000;

    /// <summary>How long a shortfall is believed.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Database, Guid EventId, Guid ClassId), (long Claimable, DateTimeOffset Until)> _entries = new();

    /// <summary>The claimable count remembered for the class, if still believed.</summary>
    public long? Claimable(string database, Guid eventId, Guid classId) =>
        _entries.TryGetValue((database, eventId, classId), out var e) && e.Until > time.GetUtcNow() ? e.Claimable : null;

    /// <summary>Remembers that only <paramref name="claimable"/> tickets of the class could be claimed just now.</summary>
    public void Remember(string database, Guid eventId, Guid classId, long claimable)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(database, eventId, classId)] = (claimable, time.GetUtcNow() + Lifetime);
    }

    /// <summary>Forgets every class of <paramref name="eventId"/> (tickets of it were released here).</summary>
    public void Forget(string database, Guid eventId)
    {
        foreach (var key in _entries.Keys)
        {
            if (key.EventId == eventId && key.Database == database)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
