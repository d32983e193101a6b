using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Apis;

/// <summary>
/// The token endpoint (<c>/{reseller}/connect/token</c>). OpenIddict has already authenticated the client against the
/// current reseller's database and checked the grant type and scope permissions when this runs.
/// </summary>
public static class TokenApi
{
    /// <summary>Claim carrying the reseller that issued the token.</summary>
    public const string ResellerClaim = "reseller";

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", Exchange)
            .WithName("Token")
            .WithSummary("OAuth 2.0 token endpoint (client credentials)")
            .WithTags("OpenID Connect");
        return app;
    }

    private static IResult Exchange(HttpContext context, IMultiTenantContextAccessor<ResellerTenantInfo> tenant)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        var reseller = tenant.MultiTenantContext.TenantInfo
            ?? throw new InvalidOperationException("No reseller is resolved for this request.");

        if (!request.IsClientCredentialsGrantType())
        {
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.UnsupportedGrantType,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Only the client credentials grant is supported.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId)
            .SetClaim(ResellerClaim, reseller.Id);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(IdentityScopes.ApiAudience);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
