using System.Collections.Concurrent;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// In-process cache of what a hold needs to know about an event before claiming: its seating, currency and class ids.
/// They are fixed when the event is created, so the cache saves a round trip per hold without any staleness. Keys carry
/// the reseller database, so resellers never share entries. Bounded: cleared when it grows past
/// <see cref="MaxEntries"/>.
/// </summary>
public sealed class EventMetadataCache
{
    /// <summary>Entries kept before the cache starts over.</summary>
    public const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<(string Database, Guid EventId), EventMetadata> _entries = new();

    /// <summary>The cached metadata, if any.</summary>
    public EventMetadata? Get(string database, Guid eventId) => _entries.GetValueOrDefault((database, eventId));

    /// <summary>Remembers metadata read from the database.</summary>
    public void Set(string database, Guid eventId, EventMetadata metadata)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(database, eventId)] = metadata;
    }
}

/// <summary>
/// The immutable facts of an event a hold needs; for general admission, <paramref name="Ordinals"/> has each class's first
/// and last ticket ordinal (where a claim may start).
/// </summary>
public sealed record EventMetadata(SeatingKind Seating, string Currency, Guid[] ClassIds, IReadOnlyDictionary<Guid, (int First, int Last)>? Ordinals = null);
