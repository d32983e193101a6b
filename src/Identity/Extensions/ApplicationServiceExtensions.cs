using Microsoft.EntityFrameworkCore;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Identity.Extensions;

/// <summary>Everything the identity service needs besides the service defaults.</summary>
public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        // the resellers come from the cell catalog; the request path picks one (ResellerPathBaseMiddleware)
        services.AddMultiTenant<ResellerTenantInfo>().WithCatalogStore();
        services.AddResellerStorage(builder.Configuration);

        // A context per request on the current reseller's database (the options lambda runs per scope).
        // Not AddDbContextPool: pooled options are shared, and OpenIddict's stores must never cross resellers.
        services.AddDbContext<IdentityDbContext>((sp, options) =>
        {
            var reseller = sp.GetRequiredService<IMultiTenantContextAccessor<ResellerTenantInfo>>().MultiTenantContext.TenantInfo
                ?? throw new InvalidOperationException("No reseller is resolved: refusing to pick an identity database.");
            options.UseNpgsql(sp.GetRequiredService<ResellerDataSources>().ConnectionStringFor(reseller));
            options.UseOpenIddict();
        });

        services.AddAuthorization();
        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(options =>
            {
                // Relative URIs and no SetIssuer(): issuer and endpoints follow PathBase, one issuer per reseller.
                options.SetTokenEndpointUris("connect/token")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke");
                options.AllowClientCredentialsFlow();
                options.RegisterScopes(IdentityScopes.All);
                // signed JWT access tokens (typ at+jwt) that the cell's API validates with the published keys
                options.DisableAccessTokenEncryption();
                options.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    // services speak plain HTTP inside the cell; TLS ends at the edge
                    .DisableTransportSecurityRequirement();
            });

        // the cell's key ring (signing and encryption certificates), shared by every reseller issuer of the cell
        services.AddCellKeyRing();
        return builder;
    }

    /// <summary>
    /// Health endpoints stay at the root; everything else lives under <c>/{reseller}/</c>. Order matters: the reseller
    /// (PathBase) first, then routing (explicitly, else passthrough endpoints 404), authentication, authorization.
    /// </summary>
    public static WebApplication UseResellerIssuers(this WebApplication app)
    {
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/alive"),
            branch => branch.UseMiddleware<ResellerPathBaseMiddleware>());
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
