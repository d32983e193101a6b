namespace TicketAspire.Inventory.Support;

/// <summary>Who writes on a ticket: the reseller (its integrator, by client id) or the cell's support staff (by staff id).</summary>
/// <param name="Kind"><see cref="SupportSides.Reseller"/> or <see cref="SupportSides.Support"/>.</param>
/// <param name="Id">The client id or staff id, recorded as the author.</param>
public sealed record SupportAuthor(string Kind, string Id)
{
    /// <summary>True for the cell's support staff.</summary>
    public bool IsSupport => Kind == SupportSides.Support;
}

/// <summary>Opens a ticket with its first message; <paramref name="Category"/> and <paramref name="Priority"/> are optional.</summary>
public sealed record OpenSupportTicketCommand(string? Subject, string? Body, string? Category, string? Priority);

/// <summary>A reply on a ticket's thread.</summary>
public sealed record SupportReplyCommand(string? Body);

/// <summary>A status change: <see cref="SupportTicketStatuses.Resolved"/> (support) or <see cref="SupportTicketStatuses.Closed"/> (either side).</summary>
public sealed record SupportStatusCommand(string? Status);

/// <summary>A ticket as a list shows it.</summary>
public sealed record SupportTicketSummary(
    Guid Id, long Number, string Subject, string Category, string Priority, string Status, string OpenedByKind, string OpenedBy,
    int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A ticket with its whole thread, oldest message first.</summary>
public sealed record SupportTicketView(
    Guid Id, long Number, string Subject, string Category, string Priority, string Status, string OpenedByKind, string OpenedBy,
    int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<SupportTicketMessage> Messages);

/// <summary>One message of a thread; <paramref name="Seq"/> is its place (from 1).</summary>
public sealed record SupportTicketMessage(Guid Id, int Seq, string AuthorKind, string Author, string Body, DateTimeOffset CreatedAt);

/// <summary>A page of tickets, newest first.</summary>
public sealed record SupportTicketPage(IReadOnlyList<SupportTicketSummary> Tickets, int Page, int Size);

/// <summary>The two sides of a ticket.</summary>
public static class SupportSides
{
    /// <summary>The reseller (its integrator).</summary>
    public const string Reseller = "reseller";

    /// <summary>The cell's support staff.</summary>
    public const string Support = "support";
}

/// <summary>The statuses of a ticket (<c>support_tickets.status</c>).</summary>
public static class SupportTicketStatuses
{
    /// <summary>Opened by the reseller, not answered yet.</summary>
    public const string Open = "open";

    /// <summary>The reseller wrote last.</summary>
    public const string WaitingOnSupport = "waiting_on_support";

    /// <summary>Support wrote last (or opened the ticket).</summary>
    public const string WaitingOnReseller = "waiting_on_reseller";

    /// <summary>Support considers it solved; a reseller reply reopens it.</summary>
    public const string Resolved = "resolved";

    /// <summary>Final: no more replies or changes.</summary>
    public const string Closed = "closed";

    /// <summary>Every status, in the order of a ticket's life.</summary>
    public static IReadOnlyList<string> All { get; } = [Open, WaitingOnSupport, WaitingOnReseller, Resolved, Closed];
}

/// <summary>Categories and priorities of a ticket.</summary>
public static class SupportTicketKinds
{
    /// <summary>The categories; <c>general</c> when left out.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["general", "billing", "payments", "events", "orders", "technical"];

    /// <summary>The priorities; <c>normal</c> when left out.</summary>
    public static IReadOnlyList<string> Priorities { get; } = ["low", "normal", "high", "urgent"];
}

/// <summary>A stored reply: the ticket after it and the message.</summary>
public sealed record SupportReply(SupportTicketSummary Ticket, SupportTicketMessage Message);
