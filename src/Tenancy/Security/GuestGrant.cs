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
}
