using Microsoft.Extensions.Options;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The reseller a request or circuit belongs to, from the host name the browser used (the cell router keeps the
/// <c>Host</c> header). An unknown host has no reseller: the storefront then shows a not-found page, never a default.
/// </summary>
public sealed class ResellerResolver(IOptions<StorefrontOptions> options)
{
    private readonly Dictionary<string, ResellerSite> _byHost = options.Value.Resellers
        .SelectMany(r => r.Value.Hosts.Select(h => (Host: h, Site: Named(r.Key, r.Value))))
        .ToDictionary(x => x.Host, x => x.Site, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every reseller of the cell.</summary>
    public IEnumerable<ResellerSite> All => options.Value.Resellers.Select(r => Named(r.Key, r.Value));

    /// <summary>The reseller of <paramref name="host"/> (without port), or null.</summary>
    public ResellerSite? ByHost(string? host) => host is { Length: > 0 } && _byHost.TryGetValue(host, out var site) ? site : null;

    /// <summary>The reseller of an absolute URI's host (a circuit's base URI), or null.</summary>
    public ResellerSite? ByUri(string uri) => Uri.TryCreate(uri, UriKind.Absolute, out var u) ? ByHost(u.Host) : null;

    private static ResellerSite Named(string id, ResellerSite site)
    {
        site.Id = id;
        return site;
    }
}
