using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TicketAspire.Web.Infrastructure;

namespace TicketAspire.Web.Extensions;

/// <summary>
/// Buyers sign in at their reseller's issuer (<c>&lt;identity&gt;/&lt;reseller&gt;</c>) with the authorization code flow
/// and PKCE as the reseller's public storefront client (<c>&lt;reseller&gt;-storefront</c>); the session is a cookie of
/// the reseller's host that carries the buyer's access token, which every API call of the buyer sends.
/// </summary>
public static class AuthenticationExtensions
{
    /// <summary>Claim of the session that holds the buyer's access token.</summary>
    public const string AccessTokenClaim = "access_token";

    /// <summary>Claim naming the reseller whose issuer signed the buyer in.</summary>
    public const string ResellerClaim = "reseller";

    public static WebApplicationBuilder AddStorefrontAuthentication(this WebApplicationBuilder builder)
    {
        var storefront = builder.Configuration.GetSection(StorefrontOptions.Section).Get<StorefrontOptions>() ?? new StorefrontOptions();
        var identityOrigin = (builder.Configuration["Identity:PublicOrigin"] ?? "http://localhost:5102").TrimEnd('/');

        var auth = builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "storefront";
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/account/login";
                // a session of one reseller is no session on another reseller's host
                options.Events.OnValidatePrincipal = context =>
                {
                    var site = context.HttpContext.RequestServices.GetRequiredService<ResellerResolver>().ByHost(context.Request.Host.Host);
                    if (site is null || context.Principal?.FindFirstValue(ResellerClaim) != site.Id)
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            });

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        builder.Services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>>(new ResellerSignInOptions(identityOrigin));
        // the cell file's resellers now; those onboarded later get their scheme from StorefrontDirectory
        foreach (var (id, site) in storefront.Resellers)
        {
            auth.AddRemoteScheme<OpenIdConnectOptions, ResellerOpenIdConnectHandler>(ResellerOpenIdConnectHandler.SchemeOf(id), site.Name, _ => { });
        }

        auth.AddConsoles(builder.Configuration, identityOrigin, storefront.Resellers.Keys);
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }
}

/// <summary>
/// The sign-in options of every reseller's scheme (<c>oidc-&lt;id&gt;</c>), by name, so a scheme added at run time for a
/// reseller onboarded after the start gets them too: the reseller's issuer, its public storefront client, code + PKCE.
/// </summary>
internal sealed class ResellerSignInOptions(string identityOrigin) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    private static readonly string[] Scopes = ["openid", "profile", "email", "customer"];

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !name.StartsWith(ResellerOpenIdConnectHandler.SchemePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var id = name[ResellerOpenIdConnectHandler.SchemePrefix.Length..];
        options.Authority = $"{identityOrigin}/{id}";
        options.RequireHttpsMetadata = false;
        options.ClientId = $"{id}-storefront";
        options.ResponseType = "code";
        // a redirect (GET) back to the storefront: its correlation cookies are SameSite=Lax and reach it on http
        options.ResponseMode = "query";
        options.UsePkce = true;
        options.SaveTokens = true;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.Scope.Clear();
        foreach (var scope in Scopes)
        {
            options.Scope.Add(scope);
        }

        options.TokenValidationParameters.NameClaimType = "name";
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.Events.OnTicketReceived = context =>
        {
            // the circuit has no HttpContext: the access token travels in the session's claims, and the session
            // ends when the token does (the identity service's own session signs the buyer in again at once)
            var identity = (ClaimsIdentity)context.Principal!.Identity!;
            var properties = context.Properties!;
            if (properties.GetTokenValue("access_token") is { } token)
            {
                identity.AddClaim(new Claim(AuthenticationExtensions.AccessTokenClaim, token));
            }

            if (identity.FindFirst(AuthenticationExtensions.ResellerClaim) is null)
            {
                identity.AddClaim(new Claim(AuthenticationExtensions.ResellerClaim, id));
            }

            if (properties.GetTokenValue("expires_at") is { } expires && DateTimeOffset.TryParse(expires, System.Globalization.CultureInfo.InvariantCulture, out var at))
            {
                properties.ExpiresUtc = at;
            }

            return Task.CompletedTask;
        };
    }
}
