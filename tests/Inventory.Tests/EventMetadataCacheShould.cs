using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Tests;

public sealed class EventMetadataCacheShould
{
    private static readonly EventMetadata Reserved = new(SeatingKind.Reserved, "EUR", [Guid.NewGuid()]);

    [Fact]
    public void KeepEntriesOfDifferentResellerDatabasesApart()
    {
        var cache = new EventMetadataCache();
        var eventId = Guid.NewGuid();
        cache.Set("Host=h;Database=reseller_acme", eventId, Reserved);

        Assert.Same(Reserved, cache.Get("Host=h;Database=reseller_acme", eventId));
        Assert.Null(cache.Get("Host=h;Database=reseller_globex", eventId));
    }

    [Fact]
    public void StartOverWhenFull()
    {
        var cache = new EventMetadataCache();
        var first = Guid.NewGuid();
        cache.Set("db", first, Reserved);
        for (var i = 1; i < EventMetadataCache.MaxEntries; i++)
        {
            cache.Set("db", Guid.NewGuid(), Reserved);
        }

        Assert.Same(Reserved, cache.Get("db", first));
        cache.Set("db", Guid.NewGuid(), Reserved);
        Assert.Null(cache.Get("db", first));
    }
}
