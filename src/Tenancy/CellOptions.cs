namespace TicketAspire.Tenancy;

/// <summary>The jurisdiction cell a service runs in, as the AppHost passes it from <c>regions/&lt;cell&gt;.json</c>.</summary>
public sealed class CellOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cell";

    /// <summary>Cell id (<c>eu</c>, <c>us</c>, …).</summary>
    public string Id { get; set; } = "";

    /// <summary>Jurisdiction name.</summary>
    public string Jurisdiction { get; set; } = "";

    /// <summary>ISO 4217 currency of the cell.</summary>
    public string Currency { get; set; } = "";

    /// <summary>
    /// A development cell (<c>"development": true</c> in its cell file): webhook endpoints may use http and loopback or
    /// private addresses. Never set for a cell that serves real resellers.
    /// </summary>
    public bool Development { get; set; }

    /// <summary>The resellers of the cell (only the migrator reads this; services read the catalog database).</summary>
    public List<ResellerOptions> Resellers { get; set; } = [];
}

/// <summary>One reseller as listed in a cell file.</summary>
public sealed class ResellerOptions
{
    /// <summary>Reseller id: lower-case letters, digits and dashes.</summary>
    public string Id { get; set; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Hosts that resolve to the reseller.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Client id of the reseller's first integrator client (its back end); default <c>&lt;id&gt;-backend</c>.</summary>
    public string? IntegratorClientId { get; set; }

    /// <summary>Where the reseller's storefront receives authorization codes (default <c>http://&lt;host&gt;/signin-oidc</c> per host).</summary>
    public List<string> StorefrontRedirectUris { get; set; } = [];

    /// <summary>Where the storefront may send users after logout (default <c>http://&lt;host&gt;/</c> per host).</summary>
    public List<string> StorefrontPostLogoutRedirectUris { get; set; } = [];

    /// <summary>The integrator client id in effect.</summary>
    public string IntegratorClient => string.IsNullOrWhiteSpace(IntegratorClientId) ? $"{Id}-backend" : IntegratorClientId;

    /// <summary>The storefront's client id (public client, authorization code + PKCE).</summary>
    public string StorefrontClient => $"{Id}-storefront";

    /// <summary>The tenant this entry describes in <paramref name="cell"/>.</summary>
    public ResellerTenantInfo ToTenantInfo(string cell) => new(
        Id, Name, cell, ResellerTenantInfo.DatabaseNameFor(Id), ResellerTenantInfo.RedisConnectionNameFor(Id), Hosts);
}
