namespace TicketAspire.Inventory.Queue;

/// <summary>
/// Turns an event's waiting room on (or changes it): buyers are admitted from <paramref name="OnSaleAt"/> at
/// <paramref name="AdmitPerMinute"/>, each into a purchase window of <paramref name="WindowSeconds"/>; one signed token lives
/// <paramref name="TokenTtlSeconds"/> (re-issued while the window lasts).
/// </summary>
public sealed record WaitingRoomSettings(DateTimeOffset? OnSaleAt, int? AdmitPerMinute, int? WindowSeconds, int? TokenTtlSeconds = null);

/// <summary>An event's waiting room and its queue's counts.</summary>
public sealed record WaitingRoomView(
    Guid EventId,
    bool Enabled,
    DateTimeOffset OnSaleAt,
    int AdmitPerMinute,
    int WindowSeconds,
    int TokenTtlSeconds,
    long Waiting,
    long Admitted,
    long Used,
    string CreatedBy,
    DateTimeOffset CreatedAt);

/// <summary>A customer's place in an event's queue; <paramref name="AdmissionToken"/> while admitted.</summary>
public sealed record QueueEntryView(
    Guid EventId,
    string CustomerRef,
    long QueueNumber,
    QueueStatus Status,
    long? Position,
    long PeopleAhead,
    int? EstimatedWaitSeconds,
    DateTimeOffset OnSaleAt,
    DateTimeOffset JoinedAt,
    DateTimeOffset? AdmittedAt,
    DateTimeOffset? WindowEndsAt,
    string? AdmissionToken,
    DateTimeOffset? AdmissionTokenExpiresAt);

/// <summary>Where a queue entry stands.</summary>
public enum QueueStatus
{
    /// <summary>In line (before the on-sale time, or not admitted yet).</summary>
    Waiting = 0,

    /// <summary>Admitted: may hold with the admission token until the window ends.</summary>
    Admitted = 1,

    /// <summary>The admission was used for a hold.</summary>
    Used = 2,

    /// <summary>The purchase window ended unused; joining again goes to the back of the line.</summary>
    Expired = 3,
}
