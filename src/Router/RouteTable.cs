using Yarp.ReverseProxy.Configuration;

namespace TicketAspire.Router;

/// <summary>
/// The proxy's routes and clusters, from <see cref="RouterOptions"/>. On the hosts of a cell's resellers: <c>/v1/…</c>,
/// <c>/openapi/…</c> and <c>/scalar/…</c> go to the cell's API; <c>/&lt;reseller&gt;/…</c> (that reseller's issuer,
/// on its own hosts only) and <c>/platform/…</c> to its identity service; every other path to its storefront (or,
/// while there is none, to the API). On the cell's own hosts (<c>PlatformHosts</c>, <c>eu.localhost</c>) every path goes
/// to its storefront (the platform's pages: the reseller application form). The original <c>Host</c> is kept: the services resolve the reseller from it.
/// Hosts of no cell match no route (the router answers 404).
/// </summary>
public static class RouteTable
{
    /// <summary>Route metadata key naming the route's cell.</summary>
    public const string CellKey = "cell";

    /// <summary>Builds the routes and clusters; throws when a cell lacks its API or identity, or a host is listed twice.</summary>
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(RouterOptions options)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (cell, route) in options.Cells.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (route.Api is null || route.Identity is null)
            {
                throw new InvalidOperationException($"Router:Cells:{cell} needs Api and Identity URLs.");
            }

            foreach (var host in route.Resellers.Values.SelectMany(r => r.Hosts).Concat(route.Web is null ? [] : route.PlatformHosts))
            {
                if (!seen.TryAdd(host, cell))
                {
                    throw new InvalidOperationException($"Host '{host}' is listed twice (cells {seen[host]} and {cell}).");
                }
            }

            var hosts = route.Resellers.Values.SelectMany(r => r.Hosts).ToList();
            if (hosts.Count == 0)
            {
                continue;
            }

            clusters.Add(Cluster($"{cell}-api", route.Api, options));
            clusters.Add(Cluster($"{cell}-identity", route.Identity, options));
            if (route.Web is not null)
            {
                clusters.Add(Cluster($"{cell}-web", route.Web, options));
            }

            foreach (var prefix in new[] { "v1", "openapi", "scalar" })
            {
                routes.Add(Route($"{cell}-api-{prefix}", cell, $"{cell}-api", hosts, $"/{prefix}/{{**rest}}", order: 0));
            }

            routes.Add(Route($"{cell}-identity-platform", cell, $"{cell}-identity", hosts, "/platform/{**rest}", order: 1));
            foreach (var (reseller, resellerRoute) in route.Resellers.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                routes.Add(Route($"{cell}-identity-{reseller}", cell, $"{cell}-identity", resellerRoute.Hosts, $"/{reseller}/{{**rest}}", order: 1));
            }

            routes.Add(Route($"{cell}-default", cell, route.Web is null ? $"{cell}-api" : $"{cell}-web", hosts, "/{**rest}", order: 100));
            if (route.Web is not null && route.PlatformHosts.Count > 0)
            {
                // the cell's own hosts: the platform's pages at the storefront (the reseller application form)
                routes.Add(Route($"{cell}-platform", cell, $"{cell}-web", route.PlatformHosts, "/{**rest}", order: 100));
            }
        }

        return (routes, clusters);
    }

    // a cell that hangs (accepts and never answers) is found by probing its liveness (/alive: the process answers; not
    // /health, which also fails while a reseller's Redis is down, which the cell survives): two failed probes and the
    // router answers 503 at once instead of waiting; a request already sent gives up after the activity timeout
    private static ClusterConfig Cluster(string id, Uri address, RouterOptions options) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal) { ["primary"] = new() { Address = address.ToString() } },
        HealthCheck = new HealthCheckConfig
        {
            AvailableDestinationsPolicy = "HealthyAndUnknown",
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = options.ProbeInterval,
                Timeout = options.ProbeTimeout,
                Policy = "ConsecutiveFailures",
                Path = "/alive",
            },
        },
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = options.ActivityTimeout },
    };

    private static RouteConfig Route(string id, string cell, string cluster, IReadOnlyList<string> hosts, string path, int order) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Order = order,
        Match = new RouteMatch { Hosts = hosts, Path = path },
        Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [CellKey] = cell },
        Transforms = [new Dictionary<string, string>(StringComparer.Ordinal) { ["RequestHeaderOriginalHost"] = "true" }],
    };
}
