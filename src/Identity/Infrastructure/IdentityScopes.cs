using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>The scopes every issuer of a cell knows, the audience of the tokens it issues, and who may ask for what.</summary>
public static class IdentityScopes
{
    /// <summary>Read events, seat maps and availability (browsing is public; integrators get it for private reads).</summary>
    public const string InventoryRead = "inventory:read";

    /// <summary>Create and change events.</summary>
    public const string InventoryWrite = "inventory:write";

    /// <summary>Read holds and orders of any customer of the reseller.</summary>
    public const string OrdersRead = "orders:read";

    /// <summary>Hold seats, confirm and cancel holds for any customer of the reseller.</summary>
    public const string OrdersWrite = "orders:write";

    /// <summary>Read the reseller's audit log.</summary>
    public const string AuditRead = "audit:read";

    /// <summary>End-user self-service: an end user's own holds and orders.</summary>
    public const string Customer = "customer";

    /// <summary>Platform support staff acting for any reseller of the cell (every action audited).</summary>
    public const string Support = "support";

    /// <summary>Platform operators (cell-level administration).</summary>
    public const string Operator = "operator";

    /// <summary>Audience (<c>aud</c>) of every access token: the cell's public API.</summary>
    public const string ApiAudience = "ticketaspire-api";

    /// <summary>Every scope registered on the server.</summary>
    public static readonly string[] All =
    [
        InventoryRead, InventoryWrite, OrdersRead, OrdersWrite, AuditRead, Customer, Support, Operator,
        Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess,
    ];

    /// <summary>The scopes a reseller's integrator client (its back end) may ask for.</summary>
    public static readonly string[] Integrator = [InventoryRead, InventoryWrite, OrdersRead, OrdersWrite, AuditRead];

    /// <summary>The scopes a reseller's storefront may ask for on behalf of a signed-in end user.</summary>
    public static readonly string[] Storefront = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, Customer];
}

/// <summary>Claims TicketAspire puts into tokens, beside the standard ones.</summary>
public static class TokenClaims
{
    /// <summary>The reseller that issued the token (absent on platform staff tokens).</summary>
    public const string Reseller = "reseller";

    /// <summary>Who the subject is: <see cref="Integrator"/>, <see cref="Customer"/> or <see cref="Staff"/>.</summary>
    public const string Kind = "kind";

    /// <summary>A reseller's back end (client credentials; <c>sub</c> is the client id).</summary>
    public const string Integrator = "integrator";

    /// <summary>An end user of a reseller (authorization code; <c>sub</c> is the user id).</summary>
    public const string Customer = "customer";

    /// <summary>Platform staff (the cell's platform issuer; <c>sub</c> is the staff client id).</summary>
    public const string Staff = "staff";
}
