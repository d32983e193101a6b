namespace TicketAspire.Tenancy.Security;

/// <summary>Claims TicketAspire puts into access tokens beside the standard ones (issued by the identity service, read by the API).</summary>
public static class TokenClaims
{
    /// <summary>The reseller that issued the token (absent on platform staff tokens).</summary>
    public const string Reseller = Strategies.ClaimStrategy.DefaultClaimType;

    /// <summary>Who the subject is: <see cref="Integrator"/>, <see cref="Customer"/>, <see cref="Guest"/> or <see cref="Staff"/>.</summary>
    public const string Kind = "kind";

    /// <summary>A reseller's back end (client credentials; <c>sub</c> is the client id).</summary>
    public const string Integrator = "integrator";

    /// <summary>An end user of a reseller (authorization code; <c>sub</c> is the user id).</summary>
    public const string Customer = "customer";

    /// <summary>
    /// A guest buyer of a reseller (the storefront's guest grant, <see cref="GuestGrant"/>; <c>sub</c> is a random id of
    /// this checkout session only, <c>email</c> where the tickets go).
    /// </summary>
    public const string Guest = "guest";

    /// <summary>Platform staff (the cell's platform issuer; <c>sub</c> is the staff client id).</summary>
    public const string Staff = "staff";
}
