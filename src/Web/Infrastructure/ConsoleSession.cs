using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using TicketAspire.Web.Extensions;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The consoles as one page sees them: on a reseller's host, the reseller console (<c>/console</c>) of the reseller's
/// signed-in administrator; on the cell's own host, the support and operator console (<c>/ops</c>) of signed-in staff.
/// Each carries the person's access token, which every API call of the console sends; a session of another host, or of
/// the other console, counts as none.
/// </summary>
public sealed class ConsoleSession(
    NavigationManager navigation, AuthenticationStateProvider authentication, ResellerResolver resellers, IOptions<PlatformOptions> platform)
{
    /// <summary>The reseller of the page's host, or null on a host of no reseller.</summary>
    public ResellerSite? Site => resellers.ByUri(navigation.BaseUri);

    /// <summary>True on one of the cell's own hosts (where the staff console answers).</summary>
    public bool OnPlatformHost =>
        Uri.TryCreate(navigation.BaseUri, UriKind.Absolute, out var uri) && platform.Value.Hosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);

    /// <summary>The cell's name (<c>eu</c>).</summary>
    public string? Cell => platform.Value.Cell;

    /// <summary>Every reseller of the cell (the staff console's list).</summary>
    public IEnumerable<ResellerSite> Resellers => resellers.All;

    /// <summary>The reseller of <paramref name="id"/>, or null.</summary>
    public ResellerSite? Reseller(string id) => resellers.All.FirstOrDefault(s => s.Id == id);

    /// <summary>The signed-in administrator of this host's reseller, or null.</summary>
    public async Task<ConsoleUser?> ResellerAdminAsync()
    {
        if (Site is not { } site || await ConsoleIdentityAsync() is not { } identity
            || identity.FindFirst(ConsoleAuthentication.RoleClaim)?.Value != ConsoleAuthentication.ResellerAdmin
            || identity.FindFirst(AuthenticationExtensions.ResellerClaim)?.Value != site.Id)
        {
            return null;
        }

        return ConsoleUser.Of(identity, site.Id);
    }

    /// <summary>The signed-in staff member of the cell (on the cell's own host only), or null.</summary>
    public async Task<ConsoleUser?> StaffAsync()
    {
        if (!OnPlatformHost || await ConsoleIdentityAsync() is not { } identity
            || identity.FindFirst(ConsoleAuthentication.RoleClaim)?.Value != ConsoleAuthentication.Staff)
        {
            return null;
        }

        return ConsoleUser.Of(identity, null);
    }

    /// <summary>The reseller console's sign-in, back to the current page afterwards.</summary>
    public string ResellerLoginUrl => "/console/login?returnUrl=" + Uri.EscapeDataString(CurrentPath);

    /// <summary>The staff console's sign-in, back to the current page afterwards.</summary>
    public string StaffLoginUrl => "/ops/login?returnUrl=" + Uri.EscapeDataString(CurrentPath);

    private string CurrentPath => "/" + navigation.ToBaseRelativePath(navigation.Uri);

    private async Task<ClaimsIdentity?> ConsoleIdentityAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.FindFirst(ConsoleAuthentication.RoleClaim) is not null);
    }
}

/// <summary>A signed-in console user: a reseller's administrator or a staff member of the cell.</summary>
/// <param name="Name">Shown in the console.</param>
/// <param name="Email">The person's e-mail address.</param>
/// <param name="AccessToken">Sent with every API call.</param>
/// <param name="Reseller">The reseller (administrators), null for staff.</param>
/// <param name="Scopes">The token's scopes (<c>support</c>, <c>operator</c>, the integrator's).</param>
public sealed record ConsoleUser(string Name, string? Email, string AccessToken, string? Reseller, IReadOnlySet<string> Scopes)
{
    /// <summary>True when the token carries <paramref name="scope"/>.</summary>
    public bool Has(string scope) => Scopes.Contains(scope);

    internal static ConsoleUser Of(ClaimsIdentity identity, string? reseller) => new(
        identity.FindFirst("name")?.Value ?? identity.FindFirst("email")?.Value ?? "you",
        identity.FindFirst("email")?.Value,
        identity.FindFirst(AuthenticationExtensions.AccessTokenClaim)?.Value ?? "",
        reseller,
        new HashSet<string>(identity.FindAll(ConsoleAuthentication.ScopeClaim).Select(c => c.Value), StringComparer.Ordinal));
}
