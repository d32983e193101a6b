using TicketAspire.Tenancy;

namespace TicketAspire.Api.Tests.Infrastructure;

/// <summary>Two resellers of the test cell, each with its own Redis.</summary>
public static class Resellers
{
    public const string AcmeHost = "acme.test";
    public const string GlobexHost = "globex.test";

    public static readonly ResellerTenantInfo Acme = new(
        "acme", "Acme Tickets", "eu", ResellerTenantInfo.DatabaseNameFor("acme"), ResellerTenantInfo.RedisConnectionNameFor("acme"), [AcmeHost]);

    public static readonly ResellerTenantInfo Globex = new(
        "globex", "Globex Live", "eu", ResellerTenantInfo.DatabaseNameFor("globex"), ResellerTenantInfo.RedisConnectionNameFor("globex"), [GlobexHost]);
}
