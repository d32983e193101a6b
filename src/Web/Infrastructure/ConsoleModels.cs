namespace TicketAspire.Web.Infrastructure;

// The API's JSON (snake_case) as the reseller console reads it: only the fields it shows or sends.

/// <summary>An event as the console edits it (the API's event with its venue's address and the organizer's choices).</summary>
public sealed record ConsoleEvent(Guid Id, string Name, string Type, string? Performer, string? Description, DateTimeOffset StartsAt,
    string Seating, string Currency, ConsoleVenue Venue, int TotalTicketCnt, int AvailableTicketCnt, IReadOnlyList<TicketClass> TicketClasses,
    string Status, int? RefundCutoffHours);

public sealed record ConsoleVenue(string Name, string City, string? Country, string? Address);

/// <summary>An event after a change, and the change recorded (null when nothing differed).</summary>
public sealed record EventUpdated(ConsoleEvent Event, EventChange? Change);

public sealed record EventChange(Guid Id, DateTimeOffset ChangedAt, string Actor, IReadOnlyList<string> Fields, int NotifiedOrders);

public sealed record EventCancelled(Guid EventId, string Status, DateTimeOffset CancelledAt, int RefundsRequested);

public sealed record EventTypeInfo(string Type, string Description);

public sealed record EventTypeList(IReadOnlyList<EventTypeInfo> EventTypes);

/// <summary>The rules that apply to the reseller (<c>GET /v1/rules</c>).</summary>
public sealed record ResellerRules(string Cell, string Currency, bool GuestCheckout, bool ResaleAllowed, int ResalePriceCapPercent, bool TransfersAllowed,
    bool DynamicPricingAllowed, int DynamicPriceMinPercent, int DynamicPriceMaxPercent, int DataRetentionDays, decimal TaxRatePercent);

/// <summary>One row of the sales report (by event, class or day), amounts in minor units.</summary>
public sealed record SalesRow(string? Key, string Label, long TicketsSold, long GrossSales, long PlatformFees, long ProcessingFees, long Tax,
    long Refunds, long Chargebacks, long Net, string Currency, long Discounts = 0);

public sealed record SalesReport(string Currency, DateTimeOffset? From, DateTimeOffset? To, string GroupBy, IReadOnlyList<SalesRow> Rows);

public sealed record AccountBalance(string Account, long Debits, long Credits, long Balance);

/// <summary>The reseller's statement of a period and its balances at its end.</summary>
public sealed record Statement(DateTimeOffset? From, DateTimeOffset? To, string Currency, long TicketsSold, long GrossSales, long PlatformFees,
    long ProcessingFees, long Tax, long Refunds, long Chargebacks, long ChargebackFees, long FraudReserved, long Payouts, long Net,
    IReadOnlyList<AccountBalance> Balances, long NetPayable, long Reserved, long TotalDebits, long TotalCredits, bool Balanced, long Discounts = 0);

public sealed record UpcomingPayout(Guid EventId, string EventName, DateTimeOffset StartsAt, DateTimeOffset? PayoutOn, long AmountMinor, string Status);

public sealed record PastPayout(string PayoutId, Guid? EventId, string? EventName, DateTimeOffset PaidAt, long AmountMinor);

public sealed record PayoutForecast(DateTimeOffset AsOf, string Currency, long UpcomingTotal, IReadOnlyList<UpcomingPayout> Upcoming, IReadOnlyList<PastPayout> Paid);

/// <summary>A webhook endpoint; <see cref="Secret"/> only when it was just created.</summary>
public sealed record WebhookEndpoint(Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Secret = null);

public sealed record WebhookEndpointList(IReadOnlyList<WebhookEndpoint> Endpoints);

public sealed record WebhookEventTypeList(IReadOnlyList<string> EventTypes);

public sealed record RotatedSecret(Guid EndpointId, string Secret, DateTimeOffset? PreviousExpiresAt);

public sealed record WebhookDelivery(Guid Id, string MessageId, Guid EndpointId, string EventType, string Status, int Attempts, DateTimeOffset? NextAttemptAt,
    int? LastStatus, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

public sealed record DeliveryPage(IReadOnlyList<WebhookDelivery> Items, int Page, int Size, long Total);

public sealed record Replayed(int Queued);

public sealed record SupportTicketSummary(Guid Id, long Number, string Subject, string Category, string Priority, string Status, string OpenedByKind,
    string OpenedBy, int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record SupportTicketPage(IReadOnlyList<SupportTicketSummary> Tickets, int Page, int Size);

public sealed record SupportMessage(Guid Id, int Seq, string AuthorKind, string Author, string Body, DateTimeOffset CreatedAt);

public sealed record SupportTicket(Guid Id, long Number, string Subject, string Category, string Priority, string Status, string OpenedByKind,
    string OpenedBy, int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<SupportMessage> Messages);

public sealed record SupportReply(SupportTicketSummary Ticket, SupportMessage Message);

/// <summary>A CSV report as the API answered it: the body streamed on, or the problem.</summary>
public sealed record CsvReport(HttpResponseMessage? Response, ApiProblem? Problem) : IDisposable
{
    public void Dispose() => Response?.Dispose();
}

/// <summary>The names of a problem's field errors the console shows beside its fields (<c>venue.city</c> → message).</summary>
public static class ProblemFields
{
    /// <summary>The field errors of <paramref name="problem"/>, each field's messages joined.</summary>
    public static IReadOnlyDictionary<string, string> Of(ApiProblem? problem) =>
        problem?.Errors?.ToDictionary(e => e.Key, e => string.Join(" ", e.Value), StringComparer.Ordinal) ?? new Dictionary<string, string>();

    /// <summary>The problem as one sentence for an alert.</summary>
    public static string Text(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var text = problem.Detail ?? problem.Title ?? $"The API answered {problem.Status}.";
        return problem.Code is { Length: > 0 } code ? $"{text} ({problem.Status} {code})" : text;
    }
}
