using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using TicketAspire.Web.Infrastructure;

namespace TicketAspire.Web.Extensions;

/// <summary>
/// The consoles' sign-in: a reseller's administrators at the reseller's issuer through its console client
/// (<c>&lt;reseller&gt;-console</c>, scheme <c>console-&lt;reseller&gt;</c>, callback <c>/console/signin-oidc</c>), the
/// cell's staff at the platform issuer through the cell's console client (<c>&lt;cell&gt;-console</c>, scheme
/// <see cref="StaffScheme"/>, callback <c>/ops/signin-oidc</c>); code flow with PKCE. Their session is a cookie of its own
/// (<see cref="Scheme"/>) beside the storefront's, so an administrator may also be signed in as a buyer; both sessions
/// reach the pages as identities of one user (<see cref="SessionsScheme"/>).
/// </summary>
public static class ConsoleAuthentication
{
    /// <summary>The consoles' cookie scheme.</summary>
    public const string Scheme = "console";

    /// <summary>The scheme that authenticates every request: the storefront's and the console's sessions together.</summary>
    public const string SessionsScheme = "sessions";

    /// <summary>The staff console's OpenID Connect scheme (the platform issuer).</summary>
    public const string StaffScheme = "ops";

    /// <summary>What every reseller console's OpenID Connect scheme name starts with.</summary>
    public const string ResellerSchemePrefix = "console-";

    /// <summary>Claim of the session naming which console it is for.</summary>
    public const string RoleClaim = "console_role";

    /// <summary>A reseller's administrator (the reseller console).</summary>
    public const string ResellerAdmin = "reseller_admin";

    /// <summary>A staff member of the cell (the support and operator console).</summary>
    public const string Staff = "staff";

    /// <summary>Claim of the session carrying one granted scope each.</summary>
    public const string ScopeClaim = "console_scope";

    /// <summary>The reseller console's scheme of <paramref name="resellerId"/>.</summary>
    public static string SchemeOf(string resellerId) => ResellerSchemePrefix + resellerId;

    /// <summary>Adds the consoles' cookie, their OpenID Connect schemes and the combined sessions scheme.</summary>
    public static AuthenticationBuilder AddConsoles(this AuthenticationBuilder auth, IConfiguration configuration, string identityOrigin, IEnumerable<string> resellers)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var cell = configuration["Platform:Cell"] ?? "eu";
        auth.Services.Configure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = SessionsScheme);
        auth.AddScheme<AuthenticationSchemeOptions, SessionsHandler>(SessionsScheme, null, _ => { });
        auth.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "console";
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.HttpOnly = true;
            options.LoginPath = "/console/login";
            // an administrator's session only on its reseller's hosts, a staff session only on the cell's own hosts
            options.Events.OnValidatePrincipal = context =>
            {
                var services = context.HttpContext.RequestServices;
                var host = context.Request.Host.Host;
                var principal = context.Principal;
                var valid = principal?.FindFirstValue(RoleClaim) switch
                {
                    ResellerAdmin => services.GetRequiredService<ResellerResolver>().ByHost(host) is { } site
                        && principal.FindFirstValue(AuthenticationExtensions.ResellerClaim) == site.Id,
                    Staff => services.GetRequiredService<IOptions<PlatformOptions>>().Value.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase),
                    _ => false,
                };
                if (!valid)
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });

        auth.Services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>>(new ConsoleSignInOptions(identityOrigin, cell));
        auth.AddRemoteScheme<OpenIdConnectOptions, StaffOpenIdConnectHandler>(StaffScheme, $"{cell} staff", _ => { });
        foreach (var id in resellers)
        {
            auth.AddRemoteScheme<OpenIdConnectOptions, ConsoleOpenIdConnectHandler>(SchemeOf(id), id, _ => { });
        }

        return auth;
    }
}

/// <summary>The storefront's and the console's sessions of a request as one user with an identity each.</summary>
internal sealed class SessionsHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var storefront = await Context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var console = await Context.AuthenticateAsync(ConsoleAuthentication.Scheme);
        var identities = new[] { storefront, console }.Where(r => r.Succeeded).SelectMany(r => r.Principal!.Identities).ToList();
        if (identities.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var properties = storefront.Succeeded ? storefront.Properties : console.Properties;
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identities), properties, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.ChallengeAsync(CookieAuthenticationDefaults.AuthenticationScheme, properties);
}

/// <summary>A reseller console's scheme handles its callbacks only on its own reseller's hosts.</summary>
public sealed class ConsoleOpenIdConnectHandler(
    IOptionsMonitor<OpenIdConnectOptions> options, ILoggerFactory logger, HtmlEncoder htmlEncoder, UrlEncoder encoder, ResellerResolver resellers)
    : OpenIdConnectHandler(options, logger, htmlEncoder, encoder)
{
    public override async Task<bool> ShouldHandleRequestAsync() =>
        await base.ShouldHandleRequestAsync() && resellers.ByHost(Request.Host.Host) is { } site
        && ConsoleAuthentication.SchemeOf(site.Id) == Scheme.Name;
}

/// <summary>The staff console's scheme handles its callbacks only on the cell's own hosts.</summary>
public sealed class StaffOpenIdConnectHandler(
    IOptionsMonitor<OpenIdConnectOptions> options, ILoggerFactory logger, HtmlEncoder htmlEncoder, UrlEncoder encoder, IOptions<PlatformOptions> platform)
    : OpenIdConnectHandler(options, logger, htmlEncoder, encoder)
{
    public override async Task<bool> ShouldHandleRequestAsync() =>
        await base.ShouldHandleRequestAsync() && platform.Value.Hosts.Contains(Request.Host.Host, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The options of the consoles' schemes, by name (a reseller onboarded after the start gets its scheme at run time):
/// issuer, console client, code + PKCE, callbacks under the console's path, and the session's claims from the token.
/// </summary>
internal sealed class ConsoleSignInOptions(string identityOrigin, string cell) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    private static readonly string[] ResellerScopes =
        ["openid", "profile", "email", "inventory:read", "inventory:write", "orders:read", "orders:write", "audit:read", "webhooks:manage", "checkin"];

    private static readonly string[] StaffScopes = ["openid", "profile", "email", "support", "operator"];

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name == ConsoleAuthentication.StaffScheme)
        {
            Apply(options, $"{identityOrigin}/platform", $"{cell}-console", "/ops", StaffScopes, ConsoleAuthentication.Staff, reseller: null);
        }
        else if (name is not null && name.StartsWith(ConsoleAuthentication.ResellerSchemePrefix, StringComparison.Ordinal))
        {
            var id = name[ConsoleAuthentication.ResellerSchemePrefix.Length..];
            Apply(options, $"{identityOrigin}/{id}", $"{id}-console", "/console", ResellerScopes, ConsoleAuthentication.ResellerAdmin, id);
        }
    }

    private static void Apply(OpenIdConnectOptions options, string authority, string clientId, string basePath, string[] scopes, string role, string? reseller)
    {
        options.Authority = authority;
        options.RequireHttpsMetadata = false;
        options.ClientId = clientId;
        options.ResponseType = "code";
        options.ResponseMode = "query";
        options.UsePkce = true;
        options.SaveTokens = true;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.CallbackPath = basePath + "/signin-oidc";
        options.SignedOutCallbackPath = basePath + "/signout-callback-oidc";
        options.RemoteSignOutPath = basePath + "/signout-oidc";
        options.Scope.Clear();
        foreach (var scope in scopes)
        {
            options.Scope.Add(scope);
        }

        options.TokenValidationParameters.NameClaimType = "name";
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.SignInScheme = ConsoleAuthentication.Scheme;
        options.SignOutScheme = ConsoleAuthentication.Scheme;
        options.Events.OnRemoteFailure = context =>
        {
            // an account without the console's role: the issuer answers access_denied; say so instead of a 500
            context.HandleResponse();
            context.Response.Redirect(basePath + "/denied");
            return Task.CompletedTask;
        };
        options.Events.OnTicketReceived = context =>
        {
            // the circuit has no HttpContext: the access token and its scopes travel in the session's claims, and the
            // session ends when the token does
            var identity = (ClaimsIdentity)context.Principal!.Identity!;
            var properties = context.Properties!;
            identity.AddClaim(new Claim(ConsoleAuthentication.RoleClaim, role));
            if (reseller is not null && identity.FindFirst(AuthenticationExtensions.ResellerClaim) is null)
            {
                identity.AddClaim(new Claim(AuthenticationExtensions.ResellerClaim, reseller));
            }

            if (properties.GetTokenValue("access_token") is { } token)
            {
                identity.AddClaim(new Claim(AuthenticationExtensions.AccessTokenClaim, token));
                // read only, not validated here: the token came straight from the issuer's token endpoint, and the API validates it
                var jwt = new JsonWebToken(token);
                if (jwt.TryGetPayloadValue<string>("scope", out var granted))
                {
                    foreach (var scope in granted.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        identity.AddClaim(new Claim(ConsoleAuthentication.ScopeClaim, scope));
                    }
                }

                if (jwt.TryGetPayloadValue<string>("email", out var email) && identity.FindFirst("email") is null)
                {
                    identity.AddClaim(new Claim("email", email));
                }
            }

            if (properties.GetTokenValue("expires_at") is { } expires && DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, out var at))
            {
                properties.ExpiresUtc = at;
            }

            return Task.CompletedTask;
        };
    }
}
