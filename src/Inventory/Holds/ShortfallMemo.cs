using System.Collections.Concurrent;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// What a claim that came up short learned. General admission: how many tickets of a class were claimable at that moment;
/// reserved seating: which of the requested seats were taken. For a short while (<see cref="Lifetime"/>) holds asking for
/// more tickets than that, or for a seat known taken, are refused (<c>sold_out</c>, <c>seat_unavailable</c>) without
/// touching Postgres, so the crowd that arrives after a sell-out or races for the same few seats costs an in-process
/// lookup per hold instead of a claim and a conflict query. Only refusals are remembered, never availability, so it can
/// make a hold wait a second for a returned ticket but never oversell; a hold cancelled in this process forgets its
/// event's entries at once. Per reseller database, bounded like <see cref="EventMetadataCache"/>.
/// </summary>
public sealed class ShortfallMemo(TimeProvider time)
{
    /// <summary>Entries kept before the memo starts over.</summary>
    public const int MaxEntries = 50_000;

    /// <summary>How long a shortfall is believed.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Database, Guid EventId, Guid ClassId), (long Claimable, DateTimeOffset Until)> _entries = new();
    private readonly ConcurrentDictionary<(string Database, Guid EventId, Guid SeatId), DateTimeOffset> _taken = new();

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

    /// <summary>The seats of <paramref name="seatIds"/> still believed taken (empty when none is).</summary>
    public List<Guid> Taken(string database, Guid eventId, IEnumerable<Guid> seatIds)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        var now = time.GetUtcNow();
        var taken = new List<Guid>();
        if (_taken.IsEmpty)
        {
            return taken;
        }

        foreach (var seatId in seatIds)
        {
            if (_taken.TryGetValue((database, eventId, seatId), out var until) && until > now)
            {
                taken.Add(seatId);
            }
        }

        return taken;
    }

    /// <summary>Remembers that the seats could not be claimed just now (held or sold by someone else).</summary>
    public void RememberTaken(string database, Guid eventId, IEnumerable<Guid> seatIds)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        if (_taken.Count >= MaxEntries)
        {
            _taken.Clear();
        }

        var until = time.GetUtcNow() + Lifetime;
        foreach (var seatId in seatIds)
        {
            _taken[(database, eventId, seatId)] = until;
        }
    }

    /// <summary>Forgets every class and seat of <paramref name="eventId"/> (tickets of it were released here).</summary>
    public void Forget(string database, Guid eventId)
    {
        foreach (var key in _entries.Keys)
        {
            if (key.EventId == eventId && key.Database == database)
            {
                _entries.TryRemove(key, out _);
            }
        }

        foreach (var key in _taken.Keys)
        {
            if (key.EventId == eventId && key.Database == database)
            {
                _taken.TryRemove(key, out _);
            }
        }
    }
}
