using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>The scopes every reseller issuer of a cell knows, and the audience of the tokens it issues.</summary>
public static class IdentityScopes
{
    /// <summary>Read events, seat maps and availability.</summary>
    public const string InventoryRead = "inventory:read";

    /// <summary>Create and change events.</summary>
    public const string InventoryWrite = "inventory:write";

    /// <summary>Hold seats and confirm orders.</summary>
    public const string OrdersWrite = "orders:write";

    /// <summary>Platform support staff acting across the resellers of a cell.</summary>
    public const string Support = "support";

    /// <summary>Platform operators.</summary>
    public const string Operator = "operator";

    /// <summary>Audience (<c>aud</c>) of every access token: the cell's public API.</summary>
    public const string ApiAudience = "ticketaspire-api";

    /// <summary>Every scope registered on the server (the standard ones are for end users, later).</summary>
    public static readonly string[] All = [InventoryRead, InventoryWrite, OrdersWrite, Support, Operator, Scopes.OpenId, Scopes.Profile];

    /// <summary>The scopes a reseller's integrator client (its back end) may ask for.</summary>
    public static readonly string[] Integrator = [InventoryRead, InventoryWrite, OrdersWrite];
}
