using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TicketAspire.Web.Infrastructure;

namespace TicketAspire.Web.Extensions;

/// <summary>
/// Sign in and out of the consoles: <c>/console/login</c> on a reseller's host (its issuer, the console client), <c>/ops/login</c>
/// on the cell's own host (the platform issuer). Full-page navigations, outside the interactive pages.
/// </summary>
public static class ConsoleEndpoints
{
    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console").ExcludeFromDescription();
        console.MapGet("/login", ResellerLogin);
        console.MapPost("/logout", (HttpContext context, ResellerResolver resellers, IAntiforgery antiforgery) =>
            resellers.ByHost(context.Request.Host.Host) is { } site
                ? LogoutAsync(context, antiforgery, ConsoleAuthentication.SchemeOf(site.Id), "/console")
                : Task.FromResult(Results.NotFound()));
        console.MapGet("/denied", (HttpContext context, ResellerResolver resellers) => resellers.ByHost(context.Request.Host.Host) is { } site
            ? Denied($"This account is not an administrator of {site.Name}.", "/console")
            : Results.NotFound());

        var ops = app.MapGroup("/ops").ExcludeFromDescription();
        ops.MapGet("/login", StaffLogin);
        ops.MapPost("/logout", (HttpContext context, IOptions<PlatformOptions> platform, IAntiforgery antiforgery) =>
            OnPlatformHost(context, platform) ? LogoutAsync(context, antiforgery, ConsoleAuthentication.StaffScheme, "/ops") : Task.FromResult(Results.NotFound()));
        ops.MapGet("/denied", (HttpContext context, IOptions<PlatformOptions> platform) => OnPlatformHost(context, platform)
            ? Denied("This account is not a staff account of the cell.", "/ops")
            : Results.NotFound());
        return app;
    }

    private static IResult ResellerLogin(HttpContext context, ResellerResolver resellers, string? returnUrl) =>
        resellers.ByHost(context.Request.Host.Host) is { } site
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = Under("/console", returnUrl) }, [ConsoleAuthentication.SchemeOf(site.Id)])
            : Results.NotFound();

    private static IResult StaffLogin(HttpContext context, IOptions<PlatformOptions> platform, string? returnUrl) =>
        OnPlatformHost(context, platform)
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = Under("/ops", returnUrl) }, [ConsoleAuthentication.StaffScheme])
            : Results.NotFound();

    private static async Task<IResult> LogoutAsync(HttpContext context, IAntiforgery antiforgery, string scheme, string home)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        var signedIn = (await context.AuthenticateAsync(ConsoleAuthentication.Scheme)).Succeeded;
        await context.SignOutAsync(ConsoleAuthentication.Scheme);
        return signedIn ? Results.SignOut(new AuthenticationProperties { RedirectUri = home }, [scheme]) : Results.LocalRedirect(home);
    }

    private static bool OnPlatformHost(HttpContext context, IOptions<PlatformOptions> platform) =>
        platform.Value.Hosts.Contains(context.Request.Host.Host, StringComparer.OrdinalIgnoreCase);

    /// <summary>A local path under the console's own path, else the console's home.</summary>
    private static string Under(string home, string? returnUrl)
    {
        var path = AccountEndpoints.LocalPath(returnUrl);
        return path == home || path.StartsWith(home + "/", StringComparison.Ordinal) || path.StartsWith(home + "?", StringComparison.Ordinal) ? path : home;
    }

    private static IResult Denied(string message, string home) => Results.Content($"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Not allowed</title><link rel="stylesheet" href="/app.css"></head>
        <body><main class="container"><h1>Not allowed</h1><p>{System.Net.WebUtility.HtmlEncode(message)}</p>
        <p><a href="{home}">Back</a></p></main></body></html>
        """, "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
}
