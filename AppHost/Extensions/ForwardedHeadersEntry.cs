using System.Globalization;
using System.Net;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// The cell file's <c>forwarded_headers</c>: the load balancers or reverse proxies in front of the cell's API and identity
/// service. Their <c>X-Forwarded-For</c> gives the client address (rate limits, audit, hold guard, sign-in limits); from any
/// other peer the header is ignored. Left out: nothing is trusted and the peer's own address counts.
/// </summary>
/// <param name="KnownProxies">IP addresses of the proxies.</param>
/// <param name="KnownNetworks">CIDR ranges the proxies are in (<c>10.0.0.0/24</c>).</param>
/// <param name="ForwardLimit">How many proxy hops are read from the right of the header (default 1).</param>
public sealed record ForwardedHeadersEntry(IReadOnlyList<string>? KnownProxies, IReadOnlyList<string>? KnownNetworks, int? ForwardLimit = null)
{
    /// <summary>The services' <c>ForwardedHeaders</c> settings (<c>KnownProxies:0</c>, …, <c>ForwardLimit</c>).</summary>
    public IEnumerable<(string Key, string Value)> Settings()
    {
        for (var i = 0; i < (KnownProxies?.Count ?? 0); i++)
        {
            yield return ($"KnownProxies__{i}", KnownProxies![i]);
        }

        for (var i = 0; i < (KnownNetworks?.Count ?? 0); i++)
        {
            yield return ($"KnownNetworks__{i}", KnownNetworks![i]);
        }

        if (ForwardLimit is { } limit)
        {
            yield return ("ForwardLimit", limit.ToString(CultureInfo.InvariantCulture));
        }
    }

    internal void Validate(string at, Action<string, string> fail)
    {
        for (var i = 0; i < (KnownProxies?.Count ?? 0); i++)
        {
            if (!IPAddress.TryParse(KnownProxies![i], out _)) { fail($"{at}.known_proxies[{i}]", $"'{KnownProxies[i]}' is not an IP address"); }
        }

        for (var i = 0; i < (KnownNetworks?.Count ?? 0); i++)
        {
            if (!IPNetwork.TryParse(KnownNetworks![i], out _)) { fail($"{at}.known_networks[{i}]", $"'{KnownNetworks[i]}' is not a CIDR range such as 10.0.0.0/24"); }
        }

        if (ForwardLimit is < 1 or > 10) { fail($"{at}.forward_limit", "1..10"); }
    }
}
