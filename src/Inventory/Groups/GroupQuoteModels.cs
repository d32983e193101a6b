using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Groups;

/// <summary>
/// A quote for a group: either <paramref name="SeatIds"/> (reserved seating) or <paramref name="Tickets"/> (general
/// admission), held until <paramref name="DueAt"/>, the invoice's due date.
/// </summary>
public sealed record CreateGroupQuoteCommand(
    string? Organization,
    string? ContactEmail,
    DateTimeOffset? DueAt,
    IReadOnlyList<Guid>? SeatIds,
    IReadOnlyList<TicketRequest>? Tickets,
    string? Note = null);

/// <summary>The group's payment of the invoice as the reseller received it: its bank reference and the amount.</summary>
public sealed record RecordInvoicePaymentCommand(string? Reference, long? AmountMinor, string? Currency);

/// <summary>The tickets of one class on a quote, at the prices held.</summary>
public sealed record GroupQuoteClass(Guid ClassId, int Quantity, long SubtotalMinor);

/// <summary>
/// A group quote. <paramref name="Status"/>: <c>open</c> (seats held until <paramref name="DueAt"/>, the invoice unpaid),
/// <c>paid</c> (sold: <paramref name="OrderId"/> holds the tickets), <c>released</c> (unpaid at the due date: the seats
/// went back on sale) or <c>cancelled</c> (withdrawn before the due date).
/// </summary>
public sealed record GroupQuoteView(
    Guid Id,
    string Number,
    Guid EventId,
    Guid HoldId,
    string Organization,
    string ContactEmail,
    string? Note,
    string Status,
    DateTimeOffset DueAt,
    int TicketCount,
    PriceBreakdown Price,
    IReadOnlyList<GroupQuoteClass> Classes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt,
    string? PaymentReference,
    Guid? OrderId);

/// <summary>An event's group quotes, newest first.</summary>
public sealed record GroupQuoteList(IReadOnlyList<GroupQuoteView> Items);

/// <summary>Bounds of group quotes.</summary>
public sealed class GroupQuoteOptions
{
    /// <summary>Most seats or tickets one quote may hold.</summary>
    public int MaxTickets { get; set; } = 2_000;

    /// <summary>Shortest time from the quote to its due date.</summary>
    public TimeSpan MinTimeToDue { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest time from the quote to its due date.</summary>
    public TimeSpan MaxTimeToDue { get; set; } = TimeSpan.FromDays(60);
}
