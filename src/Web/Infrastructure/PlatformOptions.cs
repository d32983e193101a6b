namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The platform's own pages in the cell's storefront (section <c>Platform</c>, set by the AppHost): the host names they
/// answer on and the cell's name. Reseller hosts never serve them.
/// </summary>
public sealed class PlatformOptions
{
    public const string Section = "Platform";

    /// <summary>The cell's own host names (<c>eu.localhost</c>), no reseller's: the reseller application form answers there.</summary>
    public List<string> Hosts { get; init; } = [];

    /// <summary>The cell's name on those pages (<c>eu</c>).</summary>
    public string? Cell { get; set; }
}
