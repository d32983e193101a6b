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
        if (issuer.IsPlatform)
        {
            return TokenApi.Forbid(Errors.UnauthorizedClient, "The platform issuer has no end users.");
        }

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

        var identity = EndUserClaims.For(user, issuer.Reseller.Id, request.GetScopes());
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfo(HttpContext context, Issuer issuer, UserStore users)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        if (issuer.IsPlatform || principal?.GetClaim(TokenClaims.Reseller) != issuer.Reseller.Id
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
            [TokenClaims.Reseller] = issuer.Reseller.Id,
        };
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
