using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using TicketAspire.Web.Extensions;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The storefront as one page (prerendered request or interactive circuit) sees it: the reseller of the host the
/// browser is on, and the signed-in buyer with their access token (a session of another reseller counts as none).
/// </summary>
public sealed class BuyerSession(NavigationManager navigation, AuthenticationStateProvider authentication, ResellerResolver resellers)
{
    /// <summary>The reseller of the page's host, or null on a host of no reseller.</summary>
    public ResellerSite? Site => resellers.ByUri(navigation.BaseUri);

    /// <summary>The signed-in buyer of this reseller, or null.</summary>
    public async Task<Buyer?> BuyerAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.Identity?.IsAuthenticated != true || Site is not { } site || user.FindFirstValue(AuthenticationExtensions.ResellerClaim) != site.Id
            || user.FindFirstValue(AuthenticationExtensions.AccessTokenClaim) is not { } token)
        {
            return null;
        }

        return new Buyer(user.FindFirstValue("name") ?? user.FindFirstValue("email") ?? "you", user.FindFirstValue("email"), token);
    }

    /// <summary>The sign-in page's address, back to the current page afterwards.</summary>
    public string LoginUrl => "/account/login?returnUrl=" + Uri.EscapeDataString("/" + navigation.ToBaseRelativePath(navigation.Uri));
}

/// <summary>A signed-in buyer.</summary>
public sealed record Buyer(string Name, string? Email, string AccessToken);
