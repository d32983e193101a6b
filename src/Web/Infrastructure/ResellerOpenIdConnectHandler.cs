using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// One OpenID Connect scheme per reseller (<c>oidc-&lt;reseller&gt;</c>, its own issuer at the cell's identity service),
/// all on the same callback paths (<c>/signin-oidc</c>, the redirect URI registered for every storefront): a scheme
/// handles a callback only on its own reseller's hosts, so another reseller's scheme never tries to read it.
/// </summary>
public sealed class ResellerOpenIdConnectHandler(
    IOptionsMonitor<OpenIdConnectOptions> options, ILoggerFactory logger, HtmlEncoder htmlEncoder, UrlEncoder encoder, ResellerResolver resellers)
    : OpenIdConnectHandler(options, logger, htmlEncoder, encoder)
{
    /// <summary>The scheme name of <paramref name="resellerId"/>'s issuer.</summary>
    public static string SchemeOf(string resellerId) => SchemePrefix + resellerId;

    /// <summary>What every reseller's scheme name starts with.</summary>
    public const string SchemePrefix = "oidc-";

    public override async Task<bool> ShouldHandleRequestAsync() =>
        await base.ShouldHandleRequestAsync() && resellers.ByHost(Request.Host.Host) is { } site && SchemeOf(site.Id) == Scheme.Name;
}
