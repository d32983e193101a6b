using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Apis;

/// <summary>
/// End users of a reseller: the authorization endpoint (code flow with PKCE, first-party storefronts: no consent page),
/// userinfo and end session (logout). OpenIddict has validated client, redirect URI, PKCE parameters and scopes first.
/// </summary>
public static class AuthorizationApi
{
    public static IEndpointRouteBuilder MapAuthorizationApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], Authorize)
            .WithName("Authorize").WithSummary("OAuth 2.0 authorization endpoint (authorization code + PKCE)").WithTags("OpenID Connect");
        app.MapMethods("/connect/userinfo", ["GET", "POST"], UserInfo)
            .WithName("UserInfo").WithSummary("OpenID Connect userinfo endpoint").WithTags("OpenID Connect");
        app.MapMethods("/connect/endsession", ["GET", "POST"], (Delegate)EndSession)
            .WithName("EndSession").WithSummary("OpenID Connect end session (logout) endpoint").WithTags("OpenID Connect");
        return app;
    }

    private static async Task<IResult> Authorize(HttpContext context, Issuer issuer, UserStore users)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = session.Succeeded && Guid.TryParse(session.Principal.GetClaim(Claims.Subject), out var id)
            ? await users.FindAsync(id, context.RequestAborted)
            : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return TokenApi.Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // back here after login, with the same parameters (minus prompt=login, or it would loop)
            var parameters = context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList();
            parameters.RemoveAll(p => p.Key == Parameters.Prompt);
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        ClaimsIdentity identity;
        if (issuer.IsPlatform)
        {
            // the cell's staff console: only accounts with a staff role, with the scopes of that role
            if (ConsoleClaims.StaffScopes(user.ConsoleRole) is not { } granted)
            {
                return TokenApi.Forbid(Errors.AccessDenied, "This account is not a staff account of the cell.");
            }

            identity = ConsoleClaims.Staff(user, request.GetScopes().Where(s => granted.Contains(s) || ConsoleClaims.Identity.Contains(s)));
        }
        else if (request.ClientId == ConsoleClaims.ConsoleClientOf(issuer.Reseller.Id))
        {
            // the reseller console: only the reseller's administrators, acting as its administration (the integrator's scopes)
            if (user.ConsoleRole != ConsoleRoles.Admin)
            {
                return TokenApi.Forbid(Errors.AccessDenied, "This account is not an administrator of the reseller.");
            }

            identity = ConsoleClaims.ResellerAdmin(user, issuer.Reseller.Id,
                request.GetScopes().Where(s => IdentityScopes.Integrator.Contains(s) || ConsoleClaims.Identity.Contains(s)));
        }
        else
        {
            identity = EndUserClaims.For(user, issuer.Reseller.Id, request.GetScopes());
        }

        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfo(HttpContext context, Issuer issuer, UserStore users)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        // a reseller's user names the reseller; a staff member of the platform issuer names none
        var owner = principal?.GetClaim(TokenClaims.Reseller) ?? (principal?.GetClaim(TokenClaims.Kind) == TokenClaims.Staff ? Issuer.PlatformId : null);
        if (principal is null || owner != issuer.Id
            || !Guid.TryParse(principal.GetClaim(Claims.Subject), out var id)
            || await users.FindAsync(id, context.RequestAborted) is not { } user)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The token does not belong to a user of this reseller.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Claims.Subject] = user.Id.ToString(),
        };
        if (!issuer.IsPlatform)
        {
            claims[TokenClaims.Reseller] = issuer.Reseller.Id;
        }
        if (principal.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = user.Email;
        }

        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName ?? user.Email;
        }

        return Results.Ok(claims);
    }

    private static async Task<IResult> EndSession(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // OpenIddict redirects to the validated post_logout_redirect_uri, or to RedirectUri without one
        return Results.SignOut(new AuthenticationProperties { RedirectUri = context.Request.PathBase + "/account/logged-out" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
