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

            // Router__Cells__<cell>__Web: the storefront, once src/Web exists (until then other paths go to the API)
            foreach (var reseller in cell.Resellers)
            {
                for (var h = 0; h < reseller.Hosts.Count; h++)
                {
                    router.WithEnvironment($"{prefix}Resellers__{reseller.Id}__Hosts__{h}", reseller.Hosts[h]);
                }
            }
        }

        return router;
    }
}
