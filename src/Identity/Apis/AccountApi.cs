using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Apis;

/// <summary>
/// End-user accounts of a reseller: sign in and registration pages (<c>/{reseller}/account/…</c>). A successful sign-in
/// sets a session cookie scoped to the reseller's path and returns to the authorization request that asked for it.
/// Registration answers every valid form the same way and e-mails the address (a link to finish, or a note that it has
/// an account). Forms carry an antiforgery token; attempts are rate limited per client address, and sign-ins lock per
/// address after repeated failures, whether the address has an account or not.
/// </summary>
public static class AccountApi
{
    /// <summary>Rate limiter policy of the form posts.</summary>
    public const string FormPolicy = "account-forms";

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription();
        account.MapGet("/login", LoginPage).WithName("LoginPage");
        account.MapPost("/login", Login).WithName("Login").RequireRateLimiting(FormPolicy).DisableAntiforgery();
        account.MapGet("/register", RegisterPage).WithName("RegisterPage");
        account.MapPost("/register", Register).WithName("Register").RequireRateLimiting(FormPolicy).DisableAntiforgery();
        account.MapGet("/verify", ConfirmPage).WithName("ConfirmPage");
        account.MapPost("/verify", Confirm).WithName("Confirm").RequireRateLimiting(FormPolicy).DisableAntiforgery();
        account.MapGet("/invitation", InvitationPage).WithName("InvitationPage");
        account.MapPost("/invitation", AcceptInvitation).WithName("AcceptInvitation").RequireRateLimiting(FormPolicy).DisableAntiforgery();
        account.MapGet("/logged-in", () => AccountPages.Message("Signed in", "You are signed in.")).WithName("LoggedIn");
        account.MapGet("/logged-out", () => AccountPages.Message("Signed out", "You are signed out.")).WithName("LoggedOut");
        return app;
    }

    private static IResult LoginPage(HttpContext context, Issuer issuer, IAntiforgery antiforgery)
    {
        var returnUrl = SafeReturnUrl(context, context.Request.Query["ReturnUrl"].FirstOrDefault() ?? context.Request.Query["return_url"].FirstOrDefault());
        return AccountPages.Login(Title(issuer), context.Request.PathBase, returnUrl, Token(context, antiforgery), null, null, registration: !issuer.IsPlatform);
    }

    /// <summary>Whose sign-in page it is: the reseller's, or the cell's staff's on the platform issuer (no registration there).</summary>
    private static string Title(Issuer issuer) => issuer.IsPlatform ? "TicketAspire staff" : issuer.Reseller.Name;

    private static async Task<IResult> Login(HttpContext context, Issuer issuer, IAntiforgery antiforgery, UserStore users, TimeProvider time)
    {
        if (!context.Request.HasFormContentType)
        {
            return AccountPages.Message("Bad request", "Post the sign-in form.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = SafeReturnUrl(context, form["return_url"]);
        string email = form["email"].ToString(), password = form["password"].ToString();
        IResult Again(string error, int status) =>
            AccountPages.Login(Title(issuer), context.Request.PathBase, returnUrl, Token(context, antiforgery), email, error, status, !issuer.IsPlatform);

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Again("The form expired; please try again.", StatusCodes.Status400BadRequest);
        }

        var result = await users.LoginAsync(email, password, context.RequestAborted);
        if (result.LockedUntil is { } until)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Again($"Too many failed attempts: try again in {seconds} seconds.", StatusCodes.Status429TooManyRequests);
        }

        if (result.User is not { } user)
        {
            return Again("Wrong e-mail address or password.", StatusCodes.Status401Unauthorized);
        }

        await SignInAsync(context, issuer, user);
        return Results.Redirect(returnUrl);
    }

    private static IResult RegisterPage(HttpContext context, Issuer issuer, IAntiforgery antiforgery)
    {
        if (issuer.IsPlatform)
        {
            return AccountPages.Message("Not found", "The platform issuer has no end-user accounts.", StatusCodes.Status404NotFound);
        }

        var returnUrl = SafeReturnUrl(context, context.Request.Query["return_url"]);
        return AccountPages.Register(issuer.Reseller.Name, context.Request.PathBase, returnUrl, Token(context, antiforgery), null, null, null);
    }

    private static async Task<IResult> Register(
        HttpContext context, Issuer issuer, IAntiforgery antiforgery, AccountRegistrations registrations, AccountMail mail, IOptions<IssuerOptions> origin)
    {
        if (issuer.IsPlatform || !context.Request.HasFormContentType)
        {
            return AccountPages.Message("Bad request", "Post the registration form.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = SafeReturnUrl(context, form["return_url"]);
        string email = form["email"].ToString(), displayName = form["display_name"].ToString();
        IResult Again(IReadOnlyDictionary<string, string>? errors) => AccountPages.Register(issuer.Reseller.Name, context.Request.PathBase,
            returnUrl, Token(context, antiforgery), email, displayName, errors, StatusCodes.Status400BadRequest);

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Again(new Dictionary<string, string> { ["form"] = "The form expired; please try again." });
        }

        var result = await registrations.RegisterAsync(email, form["password"], displayName, context.RequestAborted);
        if (result.Errors is { } errors)
        {
            return Again(errors);
        }

        // the same answer whether the address has an account or not: only its owner learns which, from the e-mail
        var reseller = issuer.Reseller;
        var issuerUrl = IssuerUrl(context, origin.Value);
        if (result.Token is { } token)
        {
            var link = new Uri($"{issuerUrl}/account/verify?token={Uri.EscapeDataString(token)}&return_url={Uri.EscapeDataString(returnUrl)}");
            await mail.SendVerificationAsync(reseller.Id, reseller.Name, result.Email!, link, context.RequestAborted);
        }
        else
        {
            await mail.SendExistsAsync(reseller.Id, reseller.Name, result.Email!, new Uri($"{issuerUrl}/account/login"), context.RequestAborted);
        }

        return AccountPages.CheckEmail(email.Trim());
    }

    private static IResult ConfirmPage(HttpContext context, Issuer issuer, IAntiforgery antiforgery)
    {
        if (issuer.IsPlatform)
        {
            return AccountPages.Message("Not found", "The platform issuer has no end-user accounts.", StatusCodes.Status404NotFound);
        }

        var returnUrl = SafeReturnUrl(context, context.Request.Query["return_url"]);
        return AccountPages.Confirm(issuer.Reseller.Name, context.Request.PathBase, context.Request.Query["token"].ToString(), returnUrl,
            Token(context, antiforgery), null);
    }

    private static async Task<IResult> Confirm(HttpContext context, Issuer issuer, IAntiforgery antiforgery, AccountRegistrations registrations)
    {
        if (issuer.IsPlatform || !context.Request.HasFormContentType)
        {
            return AccountPages.Message("Bad request", "Post the form of the registration link.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = SafeReturnUrl(context, form["return_url"]);
        var token = form["token"].ToString();
        IResult Again(string error) => AccountPages.Confirm(issuer.Reseller.Name, context.Request.PathBase, token, returnUrl,
            Token(context, antiforgery), error, StatusCodes.Status400BadRequest);

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Again("The form expired; please try again.");
        }

        var result = await registrations.ConfirmAsync(token, form["password"], context.RequestAborted);
        switch (result.Error)
        {
            case ConfirmationError.WrongPassword:
                return Again("That is not the password chosen when registering.");
            case ConfirmationError.LinkInvalid:
                return AccountPages.Message("Link not valid", "This link is not valid (any more): register again.", StatusCodes.Status400BadRequest);
            case ConfirmationError.AccountExists:
                return AccountPages.Message("Account exists", "This address already has an account: sign in.", StatusCodes.Status409Conflict);
        }

        await SignInAsync(context, issuer, result.User!);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> InvitationPage(HttpContext context, Issuer issuer, IAntiforgery antiforgery, ConsoleInvitations invitations)
    {
        if (issuer.IsPlatform)
        {
            return AccountPages.Message("Not found", "The platform issuer has no reseller console.", StatusCodes.Status404NotFound);
        }

        var token = context.Request.Query["token"].ToString();
        return await invitations.FindAsync(token, context.RequestAborted) is { } invitation
            ? AccountPages.Invitation(issuer.Reseller.Name, context.Request.PathBase, token, invitation.Email, invitation.HasAccount, Token(context, antiforgery), null, null)
            : InvitationGone();
    }

    private static async Task<IResult> AcceptInvitation(HttpContext context, Issuer issuer, IAntiforgery antiforgery, ConsoleInvitations invitations)
    {
        if (issuer.IsPlatform || !context.Request.HasFormContentType)
        {
            return AccountPages.Message("Bad request", "Post the form of the invitation link.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form["token"].ToString();
        if (await invitations.FindAsync(token, context.RequestAborted) is not { } invitation)
        {
            return InvitationGone();
        }

        string displayName = form["display_name"].ToString();
        IResult Again(string? error, IReadOnlyDictionary<string, string>? errors) => AccountPages.Invitation(issuer.Reseller.Name, context.Request.PathBase, token,
            invitation.Email, invitation.HasAccount, Token(context, antiforgery), error, errors, displayName, StatusCodes.Status400BadRequest);

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Again("The form expired; please try again.", null);
        }

        var result = await invitations.AcceptAsync(token, form["password"], displayName, context.RequestAborted);
        switch (result.Error)
        {
            case InvitationError.LinkInvalid:
                return InvitationGone();
            case InvitationError.WrongPassword:
                return Again("That is not the password of this address's account.", null);
            case InvitationError.Invalid:
                return Again(null, result.Errors);
        }

        // signed in here, so the console's sign-in does not ask for the password again
        await SignInAsync(context, issuer, result.User!);
        return AccountPages.InvitationAccepted(issuer.Reseller.Name, result.ConsoleUrl!);
    }

    private static IResult InvitationGone() => AccountPages.Message("Link not valid",
        "This invitation link is not valid (any more): it was used, it expired, or it was never sent. Ask the platform's support for a new one.",
        StatusCodes.Status400BadRequest);

    /// <summary>The issuer's public URL (<c>https://id.example/acme</c>), for links in e-mails.</summary>
    private static string IssuerUrl(HttpContext context, IssuerOptions options) =>
        (options.PublicOrigin is { Length: > 0 } origin ? origin.TrimEnd('/') : $"{context.Request.Scheme}://{context.Request.Host}") + context.Request.PathBase;

    private static Task SignInAsync(HttpContext context, Issuer issuer, EndUser user)
    {
        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Id.ToString()));
        identity.AddClaim(new Claim(Claims.Name, user.DisplayName ?? user.Email));
        identity.AddClaim(new Claim(TokenClaims.Reseller, issuer.Id));
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static string Token(HttpContext context, IAntiforgery antiforgery) => antiforgery.GetAndStoreTokens(context).RequestToken!;

    /// <summary>Only a path of this reseller's issuer (no open redirect, no other reseller); else the authorize page's base.</summary>
    private static string SafeReturnUrl(HttpContext context, string? returnUrl)
    {
        var pathBase = context.Request.PathBase.Value ?? "";
        return returnUrl is { Length: > 0 } url && url.StartsWith(pathBase + "/", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && Uri.IsWellFormedUriString(url, UriKind.Relative)
            ? url
            : pathBase + "/account/logged-in";
    }
}
