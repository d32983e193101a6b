using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Security;

namespace TicketAspire.Api.Extensions;

/// <summary>
/// Access tokens: signed JWTs (<c>at+jwt</c>, RS256) from the cell's identity service, validated locally with the keys of
/// its discovery document (fetched through service discovery, cached, refreshed when an unknown key id shows up, which is
/// what key rollover relies on): issuer, audience, lifetime, signature, and the claims-match-issuer rules.
/// </summary>
public static class SecurityExtensions
{
    public static IHostApplicationBuilder AddApiSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IdentityServiceOptions>().BindConfiguration(IdentityServiceOptions.SectionName)
            .Validate(o => Uri.TryCreate(o.MetadataService, UriKind.Absolute, out _), "Identity:MetadataService must be an absolute URI")
            .Validate(o => Uri.TryCreate(o.PublicOrigin, UriKind.Absolute, out _), "Identity:PublicOrigin must be an absolute URI")
            .ValidateOnStart();
        services.AddSingleton(sp => new TokenRules(sp.GetRequiredService<IOptions<IdentityServiceOptions>>().Value.PublicOrigin,
            sp.GetRequiredService<CatalogStore>()));
        services.AddHttpClient("identity-metadata");

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<IdentityServiceOptions>, IHttpClientFactory, TokenRules, TimeProvider>((o, identity, http, rules, time) =>
            {
                // a token is validated once and believed for at most a minute (CachingTokenHandler)
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new CachingTokenHandler(time, TimeSpan.FromMinutes(1), capacity: 20_000));
                // any issuer's discovery document of the cell publishes the cell's keys; the platform one always exists
                o.MetadataAddress = $"{identity.Value.MetadataService.TrimEnd('/')}/{TokenRules.PlatformIssuer}/.well-known/openid-configuration";
                o.Backchannel = http.CreateClient("identity-metadata");
                o.RequireHttpsMetadata = false;      // plain HTTP inside the cell; TLS ends at the edge
                o.MapInboundClaims = false;          // keep sub, reseller, kind, scope as issued
                o.RefreshOnIssuerKeyNotFound = true;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = ApiScopes.ApiAudience,
                    ValidTypes = ["at+jwt"],
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                    IssuerValidator = (issuer, _, _) => rules.ValidateIssuer(issuer),
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                };
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (rules.CheckClaims(context.Principal!) is { } problem)
                        {
                            context.Fail(problem);
                        }

                        return Task.CompletedTask;
                    },
                };
            });

        services.AddSingleton<IAuthorizationHandler, GrantRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorizationBuilder().AddApiPolicies();
        return builder;
    }
}
