namespace TicketAspire.Inventory.Model;

/// <summary>An event category.</summary>
public sealed record EventType(string Type, string Description);

/// <summary>The event categories every cell offers.</summary>
public static class EventTypes
{
    /// <summary>All types, in display order.</summary>
    public static IReadOnlyList<EventType> All { get; } =
    [
        new("concert", "Music concerts"),
        new("sports", "Sporting events"),
        new("theater", "Theater, opera and dance"),
        new("comedy", "Stand-up and comedy shows"),
        new("festival", "Multi-day festivals"),
        new("conference", "Conferences and talks"),
        new("family", "Family and kids' shows"),
    ];

    /// <summary>True if <paramref name="type"/> is a known type.</summary>
    public static bool IsKnown(string? type) => All.Any(t => string.Equals(t.Type, type, StringComparison.Ordinal));
}
