using TicketAspire.Inventory.Live;

namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>One seat-changing row of a <see cref="FeedBatch"/>.</summary>
/// <param name="Cursor">Its position in the event's log.</param>
/// <param name="Update">What it means for watchers.</param>
public sealed record FeedEntry(StreamCursor Cursor, LiveUpdate Update);
