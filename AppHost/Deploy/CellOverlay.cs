using System.Text;
using System.Text.Json.Nodes;
using TicketAspire.AppHost.Extensions;
using TicketAspire.Tenancy;

namespace TicketAspire.AppHost.Deploy;

/// <summary>
/// Renders one cell's kustomize overlay (<c>overlays/&lt;cell&gt;/</c>) over the shared base (<c>deploy/base</c>): its
/// namespace, the ConfigMaps <c>cell</c> and <c>cell-resellers</c> from the cell file, per-reseller Secret references
/// (each reseller's Redis, database password and integrator secret), the API's autoscaling bounds, the payment simulator
/// for a cell without a payment service of its own, and the images. Pure: the same cell file and options give the same files, byte for byte.
/// </summary>
public static class CellOverlay
{
    /// <summary>The services whose images the overlay names (<c>&lt;registry&gt;/&lt;service&gt;:&lt;tag&gt;</c>).</summary>
    public static readonly IReadOnlyList<string> Images = ["api", "identity", "worker", "migrator", "payments-simulator", "web"];

    /// <summary>The overlay's files by name, relative to <c>overlays/&lt;cell&gt;/</c>.</summary>
    public static IReadOnlyDictionary<string, string> Render(CellFile cell, OverlayOptions options)
    {
        var k8s = cell.Kubernetes ?? new KubernetesSettings();
        var ns = k8s.Namespace ?? $"ticketaspire-{cell.Id}";
        // without a payment service of its own the cell runs the PSP simulator, as a local run does
        var simulator = string.IsNullOrWhiteSpace(k8s.PaymentsUrl);
        var (min, max) = (k8s.ApiMinReplicas ?? 2, k8s.ApiMaxReplicas ?? 10);
        if (min < 1 || max < min)
        {
            throw new CellFileException($"regions/{cell.Id}.json", "kubernetes.api_max_replicas", "1 <= api_min_replicas <= api_max_replicas");
        }

        var header = $"Generated from regions/{cell.Id}.json by the AppHost's publish mode (docs/deploy.md); do not edit.";
        var identityOrigin = k8s.IdentityOrigin ?? $"http://identity.{cell.Id}.localhost";
        var shared = CellConfiguration.Shared(cell).Concat(
        [
            new("Identity__PublicOrigin", identityOrigin),
            new("IssuerOptions__PublicOrigin", identityOrigin),
            new("Payments__BaseUrl", k8s.PaymentsUrl ?? "http://payments"),
            new("Payments__PublicOrigin", k8s.PaymentsOrigin ?? $"http://payments.{cell.Id}.localhost"),
        ]).Concat((cell.ForwardedHeaders?.Settings() ?? []).Select(s => new KeyValuePair<string, string>($"ForwardedHeaders__{s.Key}", s.Value)))
            .Concat(StorefrontSettings(cell));

        var kustomization = new JsonObject
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["namespace"] = ns,
            ["labels"] = new JsonArray(new JsonObject { ["pairs"] = new JsonObject { ["ticketaspire.dev/cell"] = cell.Id } }),
            ["resources"] = new JsonArray("namespace.yaml", "../../base"),
            ["components"] = simulator ? new JsonArray("../../components/payments-simulator") : new JsonArray(),
            ["configMapGenerator"] = new JsonArray(
                new JsonObject { ["name"] = "cell", ["envs"] = new JsonArray("cell.env") },
                new JsonObject { ["name"] = "cell-resellers", ["envs"] = new JsonArray("resellers.env") }),
            ["patches"] = new JsonArray(new JsonObject { ["path"] = "api-autoscaling.yaml" }, new JsonObject { ["path"] = "resellers.yaml" }),
            ["images"] = new JsonArray([.. Images.Select(i => (JsonNode)new JsonObject
            {
                ["name"] = $"ticketaspire/{i}",
                ["newName"] = $"{options.ImageRegistry}/{i}",
                ["newTag"] = options.ImageTag,
            })]),
        };
        if (!simulator)
        {
            kustomization.Remove("components");
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kustomization.yaml"] = Yaml.Documents(header, kustomization),
            ["namespace.yaml"] = Yaml.Documents(header, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = ns },
            }),
            ["cell.env"] = EnvFile(header, shared),
            ["resellers.env"] = EnvFile(header, CellConfiguration.Resellers(cell)),
            ["api-autoscaling.yaml"] = Yaml.Documents(header,
                new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "api" },
                    ["spec"] = new JsonObject { ["replicas"] = min },
                },
                new JsonObject
                {
                    ["apiVersion"] = "autoscaling/v2", ["kind"] = "HorizontalPodAutoscaler", ["metadata"] = new JsonObject { ["name"] = "api" },
                    ["spec"] = new JsonObject { ["minReplicas"] = min, ["maxReplicas"] = max },
                }),
            ["resellers.yaml"] = Yaml.Documents(header,
                ContainerEnvPatch("Deployment", "api", cell.Resellers.SelectMany(r => new[] { RedisEnv(r), DatabasePasswordEnv(r) })),
                ContainerEnvPatch("Deployment", "identity", cell.Resellers.Select(DatabasePasswordEnv)),
                ContainerEnvPatch("Deployment", "worker", cell.Resellers.SelectMany(r => new[] { RedisEnv(r), DatabasePasswordEnv(r) })),
                ContainerEnvPatch("Job", "migrator", cell.Resellers.SelectMany(r => new[]
                {
                    SecretEnv($"IntegratorSecrets__{r.Id}", $"reseller-{r.Id}", "client-secret"),
                    SecretEnv($"IntegratorJwks__{r.Id}", $"reseller-{r.Id}", "client-jwks", optional: true),
                    SecretEnv($"DatabasePasswords__{ResellerTenantInfo.DatabaseNameFor(r.Id)}", $"reseller-{r.Id}", "db-password"),
                }))),
        };
        return files;
    }

    /// <summary>The storefront's resellers as a local run gives them (<c>Storefront__Resellers__&lt;id&gt;__…</c>: name, hosts, theme).</summary>
    public static IEnumerable<KeyValuePair<string, string>> StorefrontSettings(CellFile cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        foreach (var reseller in cell.Resellers)
        {
            var prefix = $"Storefront__Resellers__{reseller.Id}__";
            yield return new(prefix + "Name", reseller.Name);
            for (var h = 0; h < reseller.Hosts.Count; h++)
            {
                yield return new($"{prefix}Hosts__{h}", reseller.Hosts[h]);
            }

            foreach (var (key, value) in new[] { ("Primary", reseller.Storefront?.Theme?.Primary), ("Secondary", reseller.Storefront?.Theme?.Secondary), ("Tagline", reseller.Storefront?.Theme?.Tagline) })
            {
                if (value is not null)
                {
                    yield return new(prefix + key, value);
                }
            }
        }
    }

    /// <summary>Each reseller's Redis connection string, from the Secret <c>reseller-&lt;id&gt;</c> (key <c>redis</c>).</summary>
    private static JsonObject RedisEnv(ResellerEntry reseller) =>
        SecretEnv($"ConnectionStrings__{ResellerTenantInfo.RedisConnectionNameFor(reseller.Id)}", $"reseller-{reseller.Id}", "redis");

    /// <summary>The password of the reseller database's own login role, from the Secret <c>reseller-&lt;id&gt;</c> (key <c>db-password</c>).</summary>
    private static JsonObject DatabasePasswordEnv(ResellerEntry reseller) =>
        SecretEnv($"ResellerStorageOptions__Passwords__{reseller.Id}", $"reseller-{reseller.Id}", "db-password");

    private static JsonObject SecretEnv(string name, string secret, string key, bool optional = false)
    {
        var reference = new JsonObject { ["name"] = secret, ["key"] = key };
        if (optional)
        {
            reference["optional"] = true;
        }

        return new JsonObject { ["name"] = name, ["valueFrom"] = new JsonObject { ["secretKeyRef"] = reference } };
    }

    /// <summary>A strategic-merge patch adding env entries (merged by name) to the container named like the workload.</summary>
    private static JsonObject ContainerEnvPatch(string kind, string name, IEnumerable<JsonObject> env) => new()
    {
        ["apiVersion"] = kind == "Job" ? "batch/v1" : "apps/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["env"] = new JsonArray([.. env]) }),
                },
            },
        },
    };

    private static string EnvFile(string header, IEnumerable<KeyValuePair<string, string>> entries)
    {
        var sb = new StringBuilder("# ").Append(header).Append('\n');
        foreach (var (key, value) in entries)
        {
            if (value.Contains('\n', StringComparison.Ordinal) || value != value.Trim())
            {
                throw new InvalidOperationException($"{key}: a ConfigMap value from an env file cannot have line breaks or surrounding spaces");
            }

            sb.Append(key).Append('=').Append(value).Append('\n');
        }

        return sb.ToString();
    }
}
