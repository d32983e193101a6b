using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using TicketAspire.Web.Infrastructure;

namespace TicketAspire.Web.Extensions;

/// <summary>
/// Sign in (to the reseller's issuer, back to where the buyer was) and sign out (the storefront's session and the
/// identity service's). Outside the interactive pages: they are full-page navigations.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapGet("/login", Login);
        account.MapPost("/logout", Logout);
        return app;
    }

    private static IResult Login(HttpContext context, ResellerResolver resellers, string? returnUrl)
    {
        if (resellers.ByHost(context.Request.Host.Host) is not { } site)
        {
            return Results.NotFound();
        }

        return Results.Challenge(new AuthenticationProperties { RedirectUri = LocalPath(returnUrl) }, [ResellerOpenIdConnectHandler.SchemeOf(site.Id)]);
    }

    private static async Task<IResult> Logout(HttpContext context, ResellerResolver resellers, IAntiforgery antiforgery)
    {
        if (resellers.ByHost(context.Request.Host.Host) is not { } site)
        {
            return Results.NotFound();
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // a guest has no session at the identity service to end
        return session.Succeeded && session.Principal.FindFirst(GuestSignIn.GuestClaim) is null
            ? Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [ResellerOpenIdConnectHandler.SchemeOf(site.Id)])
            : Results.LocalRedirect("/");
    }

    /// <summary>Only a path of this storefront (no open redirect).</summary>
    public static string LocalPath(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal) ? url : "/";
}
