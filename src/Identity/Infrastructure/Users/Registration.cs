namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// What a registration form led to. Callers answer <see cref="Pending"/> and <see cref="Exists"/> the same way and send
/// the e-mail that tells them apart to the address.
/// </summary>
/// <param name="Errors">Field errors of an invalid form (shown; they say nothing about accounts).</param>
/// <param name="Email">Where the e-mail goes: the address as typed, or as the existing account has it.</param>
/// <param name="Token">The link's token of a pending registration; null when the address already has an account.</param>
public sealed record Registration(IReadOnlyDictionary<string, string>? Errors, string? Email, string? Token)
{
    /// <summary>The form has errors.</summary>
    public static Registration Invalid(IReadOnlyDictionary<string, string> errors) => new(errors, null, null);

    /// <summary>Recorded; the link with <paramref name="token"/> finishes it.</summary>
    public static Registration Pending(string email, string token) => new(null, email, token);

    /// <summary>The address has an account; its owner is told so.</summary>
    public static Registration Exists(string email) => new(null, email, null);
}
