using System.Security.Claims;
using OpenIddict.Abstractions;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// The tokens of the consoles' people, signed in with the authorization code flow and PKCE: a reseller's administrator
/// at the reseller's issuer through its console client (<c>&lt;reseller&gt;-console</c>), acting as the reseller's
/// administration (<c>kind=integrator</c>, the integrator's scopes, the person as <c>sub</c>); a staff member of the cell
/// at the platform issuer through the cell's console client (<c>&lt;cell&gt;-console</c>), <c>kind=staff</c> with the
/// scopes of the account's role.
/// </summary>
public static class ConsoleClaims
{
    /// <summary>The OpenID Connect scopes a console may ask for besides the API's.</summary>
    public static readonly string[] Identity = [Scopes.OpenId, Scopes.Profile, Scopes.Email];

    /// <summary>The reseller console's client id at <paramref name="reseller"/>'s issuer.</summary>
    public static string ConsoleClientOf(string reseller) => $"{reseller}-console";

    /// <summary>The staff console's client id at the platform issuer of <paramref name="cell"/>.</summary>
    public static string StaffConsoleClientOf(string cell) => $"{cell}-console";

    /// <summary>The API scopes of a staff role, or null for an account that is not staff.</summary>
    public static IReadOnlySet<string>? StaffScopes(string? role) => role switch
    {
        ConsoleRoles.Operator => new HashSet<string>([ApiScopes.Support, ApiScopes.Operator], StringComparer.Ordinal),
        ConsoleRoles.Support => new HashSet<string>([ApiScopes.Support], StringComparer.Ordinal),
        _ => null,
    };

    /// <summary>The identity of a reseller's administrator.</summary>
    public static ClaimsIdentity ResellerAdmin(EndUser user, string reseller, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = Person(user, scopes);
        identity.SetClaim(TokenClaims.Reseller, reseller).SetClaim(TokenClaims.Kind, TokenClaims.Integrator);
        return identity;
    }

    /// <summary>The identity of a staff member of the cell (no reseller).</summary>
    public static ClaimsIdentity Staff(EndUser user, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = Person(user, scopes);
        identity.SetClaim(TokenClaims.Kind, TokenClaims.Staff);
        return identity;
    }

    private static ClaimsIdentity Person(EndUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(Microsoft.IdentityModel.Tokens.TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName ?? user.Email);
        identity.SetScopes(scopes);
        identity.SetResources(IdentityScopes.ApiAudience);
        // the person's e-mail always reaches the API: the audit log names who acted
        identity.SetDestinations(claim => claim.Type == Claims.Email
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : EndUserClaims.Destinations(claim));
        return identity;
    }
}
