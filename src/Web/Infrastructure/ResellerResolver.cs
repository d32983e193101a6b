using Microsoft.Extensions.Options;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The reseller a request or circuit belongs to, from the host name the browser used (the cell router keeps the
/// <c>Host</c> header). An unknown host has no reseller: the storefront then shows a not-found page, never a default.
/// The resellers are the cell file's (with their themes) plus those onboarded at run time, which
/// <see cref="StorefrontDirectory"/> reads from the cell API's directory.
/// </summary>
public sealed class ResellerResolver
{
    private readonly IReadOnlyDictionary<string, ResellerSite> _configured;
    private volatile Snapshot _snapshot;

    public ResellerResolver(IOptions<StorefrontOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = options.Value.Resellers.ToDictionary(r => r.Key, r => Named(r.Key, r.Value), StringComparer.Ordinal);
        _snapshot = Snapshot.Of(_configured.Values);
    }

    /// <summary>Every reseller the storefront serves now.</summary>
    public IEnumerable<ResellerSite> All => _snapshot.Sites;

    /// <summary>The reseller of <paramref name="host"/> (without port), or null.</summary>
    public ResellerSite? ByHost(string? host) => host is { Length: > 0 } && _snapshot.ByHost.TryGetValue(host, out var site) ? site : null;

    /// <summary>The reseller of an absolute URI's host (a circuit's base URI), or null.</summary>
    public ResellerSite? ByUri(string uri) => Uri.TryCreate(uri, UriKind.Absolute, out var u) ? ByHost(u.Host) : null;

    /// <summary>
    /// Serves the cell's resellers as its directory lists them now: the configured ones keep their themes, the others get
    /// the default theme; a reseller no longer listed is no longer served (offboarded). The resellers added are returned.
    /// </summary>
    public IReadOnlyList<ResellerSite> Update(IEnumerable<(string Id, string Name, IReadOnlyList<string> Hosts)> directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var before = _snapshot.Sites.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var sites = new List<ResellerSite>();
        foreach (var (id, name, hosts) in directory)
        {
            if (_configured.TryGetValue(id, out var configured))
            {
                sites.Add(configured);
                continue;
            }

            var site = new ResellerSite { Id = id, Name = name };
            site.Hosts.AddRange(hosts);
            sites.Add(site);
        }

        _snapshot = Snapshot.Of(sites);
        return [.. sites.Where(s => !before.Contains(s.Id))];
    }

    private static ResellerSite Named(string id, ResellerSite site)
    {
        site.Id = id;
        return site;
    }

    private sealed record Snapshot(IReadOnlyList<ResellerSite> Sites, Dictionary<string, ResellerSite> ByHost)
    {
        public static Snapshot Of(IEnumerable<ResellerSite> sites)
        {
            var list = sites.ToList();
            var byHost = new Dictionary<string, ResellerSite>(StringComparer.OrdinalIgnoreCase);
            foreach (var site in list)
            {
                foreach (var host in site.Hosts)
                {
                    byHost.TryAdd(host, site);
                }
            }

            return new Snapshot(list, byHost);
        }
    }
}
