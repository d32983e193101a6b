namespace TicketAspire.Inventory.Transfers;

/// <summary>Sends ticket <paramref name="TicketId"/> to <paramref name="ToEmail"/>, with an optional short <paramref name="Message"/>.</summary>
public sealed record StartTransferCommand(Guid? TicketId, string? ToEmail, string? Message = null);

/// <summary>
/// A transfer: <c>pending</c> until <paramref name="ExpiresAt"/> (then <c>expired</c>), <c>accepted</c> (the recipient's
/// new ticket is <paramref name="NewTicketId"/>) or <c>cancelled</c> by its sender. The claim token is never part of it.
/// </summary>
public sealed record TransferView(
    Guid Id, Guid TicketId, Guid EventId, string FromRef, string ToEmail, string Status, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt,
    string? AcceptedBy = null, Guid? NewTicketId = null);

/// <summary>A transfer just started and its claim token (for the e-mail only: the database keeps its hash).</summary>
public sealed record StartedTransfer(TransferView Transfer, string ClaimToken);
