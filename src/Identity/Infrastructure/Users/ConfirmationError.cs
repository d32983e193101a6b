namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>Why a registration link made no account.</summary>
public enum ConfirmationError
{
    /// <summary>Unknown, used or expired link.</summary>
    LinkInvalid,

    /// <summary>Not the password chosen at registration.</summary>
    WrongPassword,

    /// <summary>The address got an account meanwhile (another link of it was followed first).</summary>
    AccountExists,
}
