using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using TicketAspire.Identity.Apis;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Security;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Webhooks.Mail;

namespace TicketAspire.Identity.Extensions;

/// <summary>Everything the identity service needs besides the service defaults.</summary>
public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        // Postgres out of reach (refused, broken, timed out, restarting) → 503 database_unavailable + Retry-After, never 500
        services.AddExceptionHandler<TicketAspire.Tenancy.AspNetCore.DatabaseUnavailableExceptionHandler>();
        services.AddSingleton(TimeProvider.System);
        // the resellers come from the cell catalog; the request path picks the issuer (IssuerPathBaseMiddleware)
        services.AddMultiTenant<ResellerTenantInfo>().WithCatalogStore();
        services.AddResellerStorage(builder.Configuration);
        services.AddOptions<IssuerOptions>().BindConfiguration(nameof(IssuerOptions))
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicOrigin) || Uri.TryCreate(o.PublicOrigin, UriKind.Absolute, out _),
                "IssuerOptions:PublicOrigin must be an absolute URI")
            .ValidateOnStart();
        services.AddScoped<Issuer>();
        // the issuer's accounts: a reseller's end users (and its administrators) in its database, the cell's staff in the catalog
        services.AddScoped(sp => new UserStore(
            () => sp.GetRequiredService<Issuer>() is { IsPlatform: true }
                ? ValueTask.FromResult(sp.GetRequiredService<CatalogDataSource>().DataSource)
                : sp.GetRequiredService<ResellerDataSources>().GetAsync(sp.GetRequiredService<Issuer>().Reseller),
            sp.GetRequiredService<TimeProvider>()));
        services.AddScoped(sp => new AccountRegistrations(
            () => sp.GetRequiredService<ResellerDataSources>().GetAsync(sp.GetRequiredService<Issuer>().Reseller),
            sp.GetRequiredService<TimeProvider>()));
        services.AddScoped(sp => new ConsoleInvitations(
            () => sp.GetRequiredService<ResellerDataSources>().GetAsync(sp.GetRequiredService<Issuer>().Reseller),
            sp.GetRequiredService<TimeProvider>()));
        // registration e-mails go to the reseller's mailbox (GET /v1/mailbox); an SMTP adapter replaces this registration
        services.AddSingleton<IEmailSender>(sp => new MailboxEmailSender(
            async (reseller, ct) => await sp.GetRequiredService<ResellerDataSources>().GetAsync(
                await sp.GetRequiredService<IMultiTenantStore<ResellerTenantInfo>>().GetAsync(reseller)
                    ?? throw new InvalidOperationException($"unknown reseller '{reseller}'")),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AccountMail>();
        // the reseller console's management of the reseller's clients (ClientsApi)
        services.AddScoped<ClientSecrets>();
        services.AddSingleton<ClientAudit>();

        // A context per request on the issuer's database: the reseller's own, or the catalog for the platform issuer (the
        // options lambda runs per scope). Not AddDbContextPool: pooled options are shared, and OpenIddict's stores must
        // never cross resellers.
        services.AddDbContext<IdentityDbContext>((sp, options) =>
        {
            var issuer = sp.GetRequiredService<Issuer>();
            // the catalog's data source itself: its ConnectionString property leaves the login role's password out
            if (issuer.IsPlatform)
            {
                options.UseNpgsql(sp.GetRequiredService<CatalogDataSource>().DataSource);
            }
            else
            {
                options.UseNpgsql(sp.GetRequiredService<ResellerDataSources>().ConnectionStringFor(issuer.Reseller));
            }

            options.UseOpenIddict();
        });

        AddEndUserSessions(builder);
        services.AddAuthorization();
        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(options =>
            {
                // Relative URIs and no SetIssuer(): issuer and endpoints follow PathBase, one issuer per reseller.
                options.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke");
                options.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowCustomFlow(GuestGrant.Type);   // a storefront's guest checkout
                options.RegisterScopes(IdentityScopes.All);
                options.SetAccessTokenLifetime(TimeSpan.FromMinutes(30))
                    .SetRefreshTokenLifetime(TimeSpan.FromDays(14));
                // signed JWT access tokens (typ at+jwt) that the cell's API validates with the published keys
                options.DisableAccessTokenEncryption();
                options.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // services speak plain HTTP inside the cell; TLS ends at the edge
                    .DisableTransportSecurityRequirement();
            });
        services.AddHostedService<TokenPruningService>();

        // the cell's key ring (signing and encryption certificates), shared by every reseller issuer of the cell
        services.AddCellKeyRing();
        return builder;
    }

    /// <summary>
    /// End users sign in on the issuer's pages with a session cookie scoped to the reseller's path (<c>/acme</c>): a cookie
    /// minted for one reseller is refused under another's path, and a user that no longer exists ends the session. Data
    /// Protection keys (cookies, antiforgery) are shared by the cell's identity replicas through a directory.
    /// </summary>
    private static void AddEndUserSessions(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var keys = builder.Configuration["DataProtection:Directory"];
        var dataProtection = services.AddDataProtection().SetApplicationName("ticketaspire-identity");
        if (!string.IsNullOrWhiteSpace(keys))
        {
            if (!OperatingSystem.IsWindows())
            {
                // the key files (cookie and antiforgery keys) live in a directory only this user can enter, created so
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keys))!);
                Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddAntiforgery(o => o.Cookie.Name = "ta.af");
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/account/login";            // relative to PathBase: /acme/account/login
                o.Cookie.Name = "ta.session";              // the cookie's path defaults to PathBase: one session per reseller
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = context =>
                {
                    var issuer = context.HttpContext.RequestServices.GetRequiredService<Issuer>();
                    // a reseller's session names the reseller, a staff session the platform issuer
                    if (!issuer.IsResolved || context.Principal?.FindFirst(TokenClaims.Reseller)?.Value != issuer.Id)
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            });

        // sign-in and registration attempts per client address and reseller (accounts also lock after repeated failures)
        var permits = builder.Configuration.GetValue("AccountForms:PermitsPerMinute", 60);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AccountApi.FormPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                $"{context.Request.PathBase}|{context.Connection.RemoteIpAddress}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
        });
    }

    /// <summary>
    /// Health endpoints stay at the root; everything else lives under <c>/{reseller}/</c>. Order matters: the reseller
    /// (PathBase) first, then routing (explicitly, else passthrough endpoints 404), authentication, authorization.
    /// </summary>
    public static WebApplication UseResellerIssuers(this WebApplication app)
    {
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/alive"),
            branch => branch.UseMiddleware<IssuerPathBaseMiddleware>());
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
