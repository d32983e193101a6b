namespace TicketAspire.Router;

/// <summary>Where one cell's services are, and which hosts (per reseller) it serves.</summary>
public sealed class CellRoute
{
    /// <summary>Base URL of the cell's API (<c>/v1/…</c>, <c>/openapi/…</c>, <c>/scalar/…</c>).</summary>
    public Uri? Api { get; set; }

    /// <summary>Base URL of the cell's identity service (<c>/&lt;reseller&gt;/…</c> and <c>/platform/…</c>).</summary>
    public Uri? Identity { get; set; }

    /// <summary>Base URL of the cell's storefront (every other path); without one those paths go to the API.</summary>
    public Uri? Web { get; set; }

    /// <summary>
    /// The cell's own host names (<c>eu.localhost</c>), no reseller's: every path goes to the storefront, which serves the
    /// platform's pages there (the reseller application form at <c>/apply</c>). Ignored without a storefront.
    /// </summary>
    public List<string> PlatformHosts { get; } = [];

    /// <summary>The cell's resellers by id, each with its host names.</summary>
    public Dictionary<string, ResellerRoute> Resellers { get; } = new(StringComparer.Ordinal);
}
