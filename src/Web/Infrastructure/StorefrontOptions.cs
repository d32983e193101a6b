namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The cell's resellers as the storefront serves them (<c>Storefront:Resellers:&lt;id&gt;:…</c>, set by the AppHost from
/// the cell file): the hosts that resolve to each, its name and its storefront theme.
/// </summary>
public sealed class StorefrontOptions
{
    public const string Section = "Storefront";

    /// <summary>The cell's resellers by id.</summary>
    public Dictionary<string, ResellerSite> Resellers { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>One reseller's storefront: its hosts, name and theme.</summary>
public sealed class ResellerSite
{
    /// <summary>The reseller's id (its issuer path at the identity service, <c>/acme</c>).</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string> Hosts { get; init; } = [];

    /// <summary>Primary colour of the storefront (CSS hex, e.g. <c>#1d4ed8</c>); white text must read on it.</summary>
    public string Primary { get; set; } = "#1d4ed8";

    /// <summary>Secondary colour (links, accents).</summary>
    public string Secondary { get; set; } = "#374151";

    /// <summary>A line under the reseller's name on the home page.</summary>
    public string? Tagline { get; set; }
}
