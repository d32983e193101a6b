using System.Security.Claims;
using OpenIddict.Abstractions;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>The claims of an end user's tokens and where each one goes.</summary>
public static class EndUserClaims
{
    /// <summary>Builds the identity OpenIddict signs in for <paramref name="user"/> of <paramref name="reseller"/>.</summary>
    public static ClaimsIdentity For(EndUser user, string reseller, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(Microsoft.IdentityModel.Tokens.TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName ?? user.Email)
            .SetClaim(TokenClaims.Reseller, reseller)
            .SetClaim(TokenClaims.Kind, TokenClaims.Customer);
        identity.SetScopes(scopes);
        identity.SetResources(IdentityScopes.ApiAudience);
        identity.SetDestinations(Destinations);
        return identity;
    }

    /// <summary>
    /// Access tokens carry what the API authorizes on (subject, reseller, kind; e-mail only with the <c>email</c> scope);
    /// identity tokens what the storefront shows (name with <c>profile</c>, e-mail with <c>email</c>).
    /// </summary>
    public static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Subject or TokenClaims.Reseller => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        TokenClaims.Kind => [OpenIddictConstants.Destinations.AccessToken],
        Claims.Email when claim.Subject?.HasScope(Scopes.Email) == true
            => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Name when claim.Subject?.HasScope(Scopes.Profile) == true => [OpenIddictConstants.Destinations.IdentityToken],
        _ => [],
    };
}
