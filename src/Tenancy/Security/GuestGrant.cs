namespace TicketAspire.Tenancy.Security;

/// <summary>
/// The token request of a guest checkout: a reseller's storefront client asks its reseller's issuer for a token of a new
/// guest buyer (<c>grant_type</c> <see cref="Type"/>, <c>scope=guest</c>, the buyer's <c>email</c>). The token is the
/// buyer's only credential: a random subject, no account, no refresh, valid for <see cref="Lifetime"/>.
/// </summary>
public static class GuestGrant
{
    /// <summary>The grant type (an extension grant, RFC 6749 section 4.5).</summary>
    public const string Type = "urn:ticketaspire:params:oauth:grant-type:guest";

    /// <summary>The request parameter with the guest's e-mail address.</summary>
    public const string EmailParameter = "email";

    /// <summary>Longest e-mail address accepted (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>How long a guest token is valid: the hold, the payment and a look at the order afterwards.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    /// <summary>True for a plausible e-mail address: one <c>@</c> with text on both sides, a dot in the domain, no spaces or controls.</summary>
    public static bool IsValidEmail(string? email)
    {
        if (email is not { Length: > 0 and <= MaxEmailLength })
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }

        var domain = email.AsSpan(at + 1);
        var dot = domain.IndexOf('.');
        if (dot <= 0 || dot == domain.Length - 1)
        {
            return false;
        }

        foreach (var c in email)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ',' or ';' or '\\')
            {
                return false;
            }
        }

        return true;
    }
}
