namespace TicketAspire.Tenancy.Tests;

/// <summary>Two resellers of the test cell.</summary>
public static class Resellers
{
    public static readonly ResellerTenantInfo Acme = new(
        "acme", "Acme Tickets", "eu", ResellerTenantInfo.DatabaseNameFor("acme"), ResellerTenantInfo.RedisConnectionNameFor("acme"),
        ["acme.tickets.example", "shop.acme.example"]);

    public static readonly ResellerTenantInfo Globex = new(
        "globex-events", "Globex Events", "eu", ResellerTenantInfo.DatabaseNameFor("globex-events"),
        ResellerTenantInfo.RedisConnectionNameFor("globex-events"), ["globex.tickets.example"]);
}
