using TicketAspire.Inventory.Live;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>What one read of an event's outbox found, as fanned out to the replica's watchers of that event.</summary>
/// <param name="From">The position the read started after.</param>
/// <param name="To">The position of the last row read.</param>
/// <param name="Entries">The rows that change seats, each with its position.</param>
public sealed record FeedBatch(StreamCursor From, StreamCursor To, IReadOnlyList<FeedEntry> Entries);
