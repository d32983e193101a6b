using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Extensions;

/// <summary>The cell router (<c>src/Router</c>): one edge in front of the cells, by reseller host.</summary>
public static class RouterExtensions
{
    /// <summary>The router's fixed port (<c>TicketAspire:RouterPort</c>).</summary>
    public const int DefaultPort = 5000;

    /// <summary>
    /// Adds the resource <c>router</c> (after the cells): each reseller host of each started cell maps to that cell's
    /// <c>&lt;cell&gt;-api</c> and <c>&lt;cell&gt;-identity</c> endpoints. It waits for no cell: a cell that is down fails
    /// only its own resellers.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddCellRouter(this IDistributedApplicationBuilder builder, IEnumerable<CellFile> cells, int? port, string dataRoot)
    {
        // the key the router reads each cell API's directory with (resellers onboarded at run time): Parameters:router-directory-key,
        // else generated once under the data root
        var directoryKey = builder.AddParameter("router-directory-key",
            new GeneratedSecretFile(Path.Combine(dataRoot, "router-secrets", "directory-key")), secret: true);
        var router = builder.AddProject<Projects.Router>("router")
            .WithHttpEndpoint(port: port)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Router__DirectoryKey", directoryKey);
        if (builder.Configuration["TicketAspire:Router:DirectoryInterval"] is { Length: > 0 } interval)
        {
            router.WithEnvironment("Router__DirectoryInterval", interval);
        }

        foreach (var cell in cells)
        {
            var prefix = $"Router__Cells__{cell.Id}__";
            foreach (var (service, key) in new[] { ("api", "Api"), ("identity", "Identity") })
            {
                var resource = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == $"{cell.Id}-{service}");
                var target = builder.CreateResourceBuilder(resource);
                router.WithEnvironment(prefix + key, target.GetEndpoint("http")).WithReferenceRelationship(resource);
                if (service == "api")
                {
                    target.WithEnvironment("Directory__Key", directoryKey);
                }
            }

            // Router__Cells__<cell>__Web: the cell's storefront (every path that is not the API's or the identity service's)
            if (builder.Resources.OfType<ProjectResource>().SingleOrDefault(r => r.Name == $"{cell.Id}-web") is { } web)
            {
                router.WithEnvironment(prefix + "Web", builder.CreateResourceBuilder(web).GetEndpoint("http")).WithReferenceRelationship(web);
                // the cell's own host: the platform's pages there (the reseller application form, http://eu.localhost:5000/apply)
                router.WithEnvironment(prefix + "PlatformHosts__0", CellExtensions.PlatformHost(cell));
                // the staff console there (http://eu.localhost:5000/ops): its redirect URIs at the platform issuer
                var consoleMigrator = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == $"{cell.Id}-migrator"));
                var consolePort = router.GetEndpoint("http").Property(EndpointProperty.Port);
                var platformHost = CellExtensions.PlatformHost(cell);
                consoleMigrator.WithEnvironment("StaffConsole__RedirectUris__0", $"http://{platformHost}/ops/signin-oidc")
                    .WithEnvironment("StaffConsole__RedirectUris__1", ReferenceExpression.Create($"http://{platformHost}:{consolePort}/ops/signin-oidc"))
                    .WithEnvironment("StaffConsole__PostLogoutRedirectUris__0", $"http://{platformHost}/ops")
                    .WithEnvironment("StaffConsole__PostLogoutRedirectUris__1", ReferenceExpression.Create($"http://{platformHost}:{consolePort}/ops/signout-callback-oidc"));
                // the storefront reads the same directory, to serve resellers onboarded at run time
                builder.CreateResourceBuilder(web).WithEnvironment("Directory__Key", directoryKey);
            }

            foreach (var reseller in cell.Resellers)
            {
                for (var h = 0; h < reseller.Hosts.Count; h++)
                {
                    router.WithEnvironment($"{prefix}Resellers__{reseller.Id}__Hosts__{h}", reseller.Hosts[h]);
                }
            }

            // the storefronts' redirect URIs at the router's port too (http://acme.eu.localhost:5000/signin-oidc), where a
            // browser reaches them, unless the cell file lists its own
            var migrator = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == $"{cell.Id}-migrator"));
            var routerPort = router.GetEndpoint("http").Property(EndpointProperty.Port);
            // resellers onboarded at run time: their storefront and console at the router's port too
            builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == $"{cell.Id}-provisioner"))
                .WithEnvironment("Provisioner__StorefrontPort", ReferenceExpression.Create($"{routerPort}"));
            for (var i = 0; i < cell.Resellers.Count; i++)
            {
                var reseller = cell.Resellers[i];
                var resellerPrefix = $"Cell__Resellers__{i}__";
                if (reseller.Storefront?.RedirectUris is not { Count: > 0 })
                {
                    var u = 0;
                    foreach (var host in reseller.Hosts)
                    {
                        migrator.WithEnvironment($"{resellerPrefix}StorefrontRedirectUris__{u++}", $"http://{host}/signin-oidc");
                        migrator.WithEnvironment($"{resellerPrefix}StorefrontRedirectUris__{u++}", ReferenceExpression.Create($"http://{host}:{routerPort}/signin-oidc"));
                    }
                }

                if (reseller.Storefront?.PostLogoutRedirectUris is not { Count: > 0 })
                {
                    var u = 0;
                    foreach (var host in reseller.Hosts)
                    {
                        migrator.WithEnvironment($"{resellerPrefix}StorefrontPostLogoutRedirectUris__{u++}", $"http://{host}/");
                        migrator.WithEnvironment($"{resellerPrefix}StorefrontPostLogoutRedirectUris__{u++}", ReferenceExpression.Create($"http://{host}:{routerPort}/signout-callback-oidc"));
                    }
                }
            }
        }

        return router;
    }
}
