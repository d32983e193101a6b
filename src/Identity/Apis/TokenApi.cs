using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Apis;

/// <summary>
/// The token endpoint (<c>/{issuer}/connect/token</c>). OpenIddict has already authenticated the client against the
/// issuer's own database (client secret or <c>private_key_jwt</c>), checked grant type and scope permissions, and for
/// codes and refresh tokens their signature, lifetime, PKCE verifier and revocation, when this runs.
/// </summary>
public static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", Exchange)
            .WithName("Token")
            .WithSummary("OAuth 2.0 token endpoint: client credentials, authorization code (PKCE), refresh token, a storefront's guest grant")
            .WithTags("OpenID Connect");
        return app;
    }

    private static async Task<IResult> Exchange(HttpContext context, Issuer issuer, IServiceProvider services)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            // a reseller's back end, or platform staff on the platform issuer
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            if (issuer.IsPlatform)
            {
                identity.SetClaim(TokenClaims.Kind, TokenClaims.Staff);
            }
            else
            {
                identity.SetClaim(TokenClaims.Kind, TokenClaims.Integrator).SetClaim(TokenClaims.Reseller, issuer.Reseller.Id);
            }

            identity.SetScopes(request.GetScopes());
            identity.SetResources(IdentityScopes.ApiAudience);
            identity.SetDestinations(static _ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var principal = result.Principal;
            // the code or refresh token was issued by this reseller's issuer for a user that still exists (a sign-in lock ends no session)
            // (staff on the platform issuer name no reseller); a console's person still holds the console role
            var owner = principal?.GetClaim(TokenClaims.Reseller) ?? (principal?.GetClaim(TokenClaims.Kind) == TokenClaims.Staff ? Issuer.PlatformId : null);
            if (principal is null || owner != issuer.Id
                || !Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId)
                || await services.GetRequiredService<UserStore>().FindAsync(userId, context.RequestAborted) is not { } user
                || !StillHoldsRole(issuer, request.ClientId, user))
            {
                return Forbid(Errors.InvalidGrant, "The grant is no longer valid.");
            }

            var console = issuer.IsPlatform || request.ClientId == ConsoleClaims.ConsoleClientOf(issuer.Reseller.Id);
            var identity = new ClaimsIdentity(principal.Claims, TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.DisplayName ?? user.Email);
            identity.SetDestinations(claim => console && claim.Type == Claims.Email
                ? [Destinations.AccessToken, Destinations.IdentityToken]
                : EndUserClaims.Destinations(claim));
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.GrantType == GuestGrant.Type)
        {
            return Guest(request, issuer);
        }

        return Forbid(Errors.UnsupportedGrantType, $"Supported grants: client_credentials, authorization_code, refresh_token, {GuestGrant.Type}.");
    }

    /// <summary>
    /// A guest buyer of the reseller's storefront (OpenIddict has checked that the client may use the grant and the scope):
    /// a random subject that names this checkout only, the e-mail address the tickets go to, the <c>guest</c> scope and
    /// nothing else. Whether the reseller's jurisdiction allows guests at all is the API's rule, checked at every hold.
    /// </summary>
    private static IResult Guest(OpenIddictRequest request, Issuer issuer)
    {
        if (issuer.IsPlatform)
        {
            return Forbid(Errors.UnsupportedGrantType, "The platform issuer has no guests: ask a reseller's issuer.");
        }

        var scopes = request.GetScopes();
        if (scopes.Length != 1 || scopes[0] != ApiScopes.Guest)
        {
            return Forbid(Errors.InvalidScope, $"The guest grant gives the '{ApiScopes.Guest}' scope only: ask for scope={ApiScopes.Guest}.");
        }

        var email = ((string?)request[GuestGrant.EmailParameter])?.Trim();
        // the same rule as an account's address
        if (UserStore.NormalizeEmail(email) is null)
        {
            return Forbid(Errors.InvalidRequest, $"The guest's e-mail address (parameter '{GuestGrant.EmailParameter}', at most {GuestGrant.MaxEmailLength} characters) is missing or not an address.");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, Guid.NewGuid().ToString("D"))
            .SetClaim(TokenClaims.Kind, TokenClaims.Guest)
            .SetClaim(TokenClaims.Reseller, issuer.Reseller.Id)
            .SetClaim(Claims.Email, email);
        identity.SetScopes(ApiScopes.Guest);
        identity.SetResources(IdentityScopes.ApiAudience);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(GuestGrant.Lifetime);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Staff keep a staff role; a reseller console's administrator keeps the administrator role.</summary>
    private static bool StillHoldsRole(Issuer issuer, string? clientId, EndUser user) =>
        issuer.IsPlatform ? ConsoleClaims.StaffScopes(user.ConsoleRole) is not null
        : clientId != ConsoleClaims.ConsoleClientOf(issuer.Reseller.Id) || user.ConsoleRole == ConsoleRoles.Admin;

    /// <summary>An OAuth error answer from OpenIddict.</summary>
    public static IResult Forbid(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
