namespace TicketAspire.Tenancy.Security;

/// <summary>
/// The scopes of the cell's access tokens and their audience: the contract between the identity service, which grants
/// them, and the API, which authorizes on them.
/// </summary>
public static class ApiScopes
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

    /// <summary>Register and manage webhook endpoints, list and replay their deliveries.</summary>
    public const string WebhooksManage = "webhooks:manage";

    /// <summary>Check tickets in at the gate (a scanner app's client: nothing else).</summary>
    public const string CheckIn = "checkin";

    /// <summary>End-user self-service: an end user's own holds and orders.</summary>
    public const string Customer = "customer";

    /// <summary>A guest buyer's checkout (no account): their own holds, payments and orders, for the session's token only.</summary>
    public const string Guest = "guest";

    /// <summary>Platform support staff acting for any reseller of the cell (every action audited).</summary>
    public const string Support = "support";

    /// <summary>Platform operators (cell-level administration).</summary>
    public const string Operator = "operator";

    /// <summary>Audience (<c>aud</c>) of every access token: the cell's public API.</summary>
    public const string ApiAudience = "ticketaspire-api";
}
