namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>The account a registration link made, or why it made none.</summary>
public sealed record Confirmation(EndUser? User, ConfirmationError? Error)
{
    /// <summary>The account exists now.</summary>
    public static Confirmation Done(EndUser user) => new(user, null);

    /// <summary>No account was made.</summary>
    public static Confirmation Failed(ConfirmationError error) => new(null, error);
}
