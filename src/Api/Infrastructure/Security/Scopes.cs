namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>The scopes the API authorizes on (issued by the cell's identity service).</summary>
public static class Scopes
{
    public const string InventoryRead = "inventory:read";
    public const string InventoryWrite = "inventory:write";
    public const string OrdersRead = "orders:read";
    public const string OrdersWrite = "orders:write";
    public const string AuditRead = "audit:read";
    public const string Customer = "customer";
    public const string Support = "support";
    public const string Operator = "operator";
}
