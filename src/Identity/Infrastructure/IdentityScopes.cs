using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>Who may ask for which scopes (the scopes themselves are <see cref="ApiScopes"/>, shared with the API).</summary>
public static class IdentityScopes
{
    /// <summary>Audience (<c>aud</c>) of every access token: the cell's public API.</summary>
    public const string ApiAudience = ApiScopes.ApiAudience;

    /// <summary>Every scope registered on the server.</summary>
    public static readonly string[] All =
    [
        ApiScopes.InventoryRead, ApiScopes.InventoryWrite, ApiScopes.OrdersRead, ApiScopes.OrdersWrite, ApiScopes.AuditRead,
        ApiScopes.WebhooksManage, ApiScopes.CheckIn, ApiScopes.Customer, ApiScopes.Guest, ApiScopes.Support, ApiScopes.Operator, Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess,
    ];

    /// <summary>The scopes a reseller's integrator client (its back end) may ask for.</summary>
    public static readonly string[] Integrator =
        [ApiScopes.InventoryRead, ApiScopes.InventoryWrite, ApiScopes.OrdersRead, ApiScopes.OrdersWrite, ApiScopes.AuditRead, ApiScopes.WebhooksManage, ApiScopes.CheckIn];

    /// <summary>The scopes a reseller's storefront may ask for on behalf of a signed-in end user.</summary>
    public static readonly string[] Storefront = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, ApiScopes.Customer];
}
