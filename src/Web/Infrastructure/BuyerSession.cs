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
        // the storefront's session (a console's session of the same browser is another identity of the user)
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var buyer = user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.FindFirst(ConsoleAuthentication.RoleClaim) is null);
        if (buyer is null || Site is not { } site || buyer.FindFirst(AuthenticationExtensions.ResellerClaim)?.Value != site.Id
            || buyer.FindFirst(AuthenticationExtensions.AccessTokenClaim)?.Value is not { } token)
        {
            return null;
        }

        return new Buyer(buyer.FindFirst("name")?.Value ?? buyer.FindFirst("email")?.Value ?? "you", buyer.FindFirst("email")?.Value, token,
            IsGuest: buyer.FindFirst(GuestSignIn.GuestClaim) is not null);
    }

    /// <summary>The sign-in page's address, back to the current page afterwards.</summary>
    public string LoginUrl => "/account/login?returnUrl=" + Uri.EscapeDataString("/" + navigation.ToBaseRelativePath(navigation.Uri));

    /// <summary>The guest checkout page's address, back to the current page afterwards.</summary>
    public string GuestUrl => "/account/guest?returnUrl=" + Uri.EscapeDataString("/" + navigation.ToBaseRelativePath(navigation.Uri));
}

/// <summary>A signed-in buyer, or a guest (no account: the session's token is all it has).</summary>
public sealed record Buyer(string Name, string? Email, string AccessToken, bool IsGuest = false);
