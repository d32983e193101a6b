using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using TicketAspire.AppHost.Deploy;
using TicketAspire.AppHost.Extensions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The Kubernetes overlays (deploy/overlays/&lt;cell&gt;) are the AppHost's publish output from the cell files: every cell
/// file has one, what is committed is what the generator writes (drift fails here), and a cell's configuration in the
/// overlay is the configuration a local run gives the same services. deploy/validate.sh renders and schema-checks them.
/// </summary>
public sealed class KubernetesOverlayTests : IDisposable
{
    private static readonly string RepoRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
    private readonly string _dir = Directory.CreateTempSubdirectory("ta-k8s-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_cell_file_yields_the_committed_overlay()
    {
        var cells = CellFile.LoadAll(Path.Combine(RepoRoot, "regions"));
        var rendered = KubernetesPublishing.Render(cells, new OverlayOptions());
        var committed = Directory.GetFiles(Path.Combine(RepoRoot, "deploy", "overlays"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Path.Combine(RepoRoot, "deploy"), f).Replace('\\', '/'), File.ReadAllText);

        Assert.Equal(cells.Select(c => c.Id), committed.Keys.Select(k => k.Split('/')[1]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(cells, c => Assert.Contains($"overlays/{c.Id}/kustomization.yaml", rendered.Keys));
        Assert.Equal(rendered.Keys, committed.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in rendered)
        {
            Assert.True(content == committed[path], $"deploy/{path} differs from what the publish mode writes: run it again (docs/deploy.md)");
        }
    }

    [Fact]
    public async Task The_publish_mode_writes_the_overlays_base_and_components()
    {
        var appHost = typeof(CellOverlay).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", ["exec", appHost, "--operation", "publish", "--step", KubernetesPublishing.StepName, "--output-path", _dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"publish exited {process.ExitCode}: {await output}{await errors}");

        var written = Directory.GetFiles(_dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_dir, f).Replace('\\', '/')).ToHashSet();
        var expected = Directory.GetFiles(Path.Combine(RepoRoot, "deploy"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(RepoRoot, "deploy"), f).Replace('\\', '/'))
            .Where(f => f.StartsWith("overlays/", StringComparison.Ordinal) || f.StartsWith("base/", StringComparison.Ordinal) || f.StartsWith("components/", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Equal(expected.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
        foreach (var file in expected)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot, "deploy", file)), File.ReadAllText(Path.Combine(_dir, file)));
        }
    }

    [Fact]
    public async Task A_cells_overlay_configures_the_services_as_a_local_run_does()
    {
        var cell = CellFile.LoadAll(Path.Combine(RepoRoot, "regions")).Single(c => c.Id == "eu");
        var overlay = CellOverlay.Render(cell, new OverlayOptions());
        var shared = EnvFile(overlay["cell.env"]);
        var resellers = EnvFile(overlay["resellers.env"]);

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([$"TicketAspire:DataDir={_dir}", "TicketAspire:Cells=eu"], cts.Token);
        async Task<Dictionary<string, string>> RunEnv(string name, params string[] prefixes)
        {
            // the environment each project gets (plain values as they are; references would show as expressions)
#pragma warning disable CS0618 // obsolete in Aspire 13 for ExecutionConfigurationBuilder; this one call is enough here
            var env = await builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618
            return env.Where(kv => prefixes.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal))).ToDictionary(kv => kv.Key, kv => kv.Value);
        }

        static IEnumerable<KeyValuePair<string, string>> Only(IEnumerable<KeyValuePair<string, string>> env, params string[] prefixes) =>
            env.Where(kv => prefixes.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal))).OrderBy(kv => kv.Key, StringComparer.Ordinal);

        string[] apiKeys = ["Cell__", "CellRules__", "Fees__", "Resellers__"];
        var api = await RunEnv("eu-api", apiKeys);
        Assert.Contains("Resellers__globex__HoldOptions__MaxSeatsPerHold", api.Keys);
        Assert.Equal(Only(api, apiKeys), Only(shared, apiKeys));
        // the worker has the fee plans and the hold limits too (its waitlist offers hold under the reseller's limits)
        var worker = await RunEnv("eu-worker", "Fees__", "Resellers__");
        Assert.Contains("Resellers__globex__HoldOptions__MaxTicketsPerCustomerPerEvent", worker.Keys);
        // (the request budgets are the API's alone; the overlay's shared file carries them to the worker too, unread)
        Assert.Equal(Only(worker, "Fees__", "Resellers__"), Only(shared, "Fees__", "Resellers__").Where(kv => !kv.Key.Contains("__RateLimiting__", StringComparison.Ordinal)));

        // the storefront's resellers (names, hosts, themes)
        var web = await RunEnv("eu-web", "Storefront__");
        Assert.Contains("Storefront__Resellers__acme__Hosts__0", web.Keys);
        Assert.Equal(Only(web, "Storefront__"), Only(shared, "Storefront__"));

        var migrator = await RunEnv("eu-migrator", "Cell__", "CellRules__");
        Assert.Contains("Cell__Resellers__1__Hosts__0", migrator.Keys);
        // a local run also registers each storefront's redirect URIs at the router's port (http://acme.eu.localhost:5000/
        // signin-oidc, where a browser reaches it); on Kubernetes the cell file's, or the migrator's defaults, apply
        var overlayEnv = Only(shared.Concat(resellers), "Cell__", "CellRules__").ToList();
        var localRouterRedirects = overlayEnv.Any(kv => kv.Key.Contains("__Storefront", StringComparison.Ordinal)) ? [] : new[] { "__Storefront" };
        Assert.Equal(Only(migrator, "Cell__", "CellRules__").Where(kv => !localRouterRedirects.Any(k => kv.Key.Contains(k, StringComparison.Ordinal))), overlayEnv);
    }

    private static Dictionary<string, string> EnvFile(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void A_cell_with_its_own_payment_service_runs_no_simulator()
    {
        var path = Path.Combine(_dir, "de.json");
        File.WriteAllText(path, """
            {"id":"de","jurisdiction":"Germany","currency":"EUR","api_port":5301,
             "kubernetes":{"namespace":"tickets-de","identity_origin":"https://id.de.example","payments_url":"http://psp-adapter.payments",
                           "payments_origin":"https://pay.de.example","api_min_replicas":3,"api_max_replicas":30},
             "resellers":[{"id":"hansa","name":"Hansa","hosts":["hansa.example"]}]}
            """);
        var overlay = CellOverlay.Render(CellFile.Load(path), new OverlayOptions("registry.example/ta", "1.2.3"));

        Assert.DoesNotContain("components/payments-simulator", overlay["kustomization.yaml"], StringComparison.Ordinal);
        Assert.Contains("namespace: tickets-de", overlay["kustomization.yaml"], StringComparison.Ordinal);
        Assert.Contains("newName: registry.example/ta/api", overlay["kustomization.yaml"], StringComparison.Ordinal);
        Assert.Contains("newTag: \"1.2.3\"", overlay["kustomization.yaml"], StringComparison.Ordinal);
        Assert.Contains("Payments__BaseUrl=http://psp-adapter.payments\n", overlay["cell.env"], StringComparison.Ordinal);
        Assert.Contains("IssuerOptions__PublicOrigin=https://id.de.example\n", overlay["cell.env"], StringComparison.Ordinal);
        Assert.Contains("minReplicas: 3", overlay["api-autoscaling.yaml"], StringComparison.Ordinal);
        Assert.Contains("maxReplicas: 30", overlay["api-autoscaling.yaml"], StringComparison.Ordinal);

        Assert.Contains("name: ResellerStorageOptions__Passwords__hansa", overlay["resellers.yaml"], StringComparison.Ordinal);
        Assert.Contains("name: DatabasePasswords__reseller_hansa", overlay["resellers.yaml"], StringComparison.Ordinal);

        // without a payment service of its own the cell runs the simulator, whatever its webhook rule
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"payments_url\":\"http://psp-adapter.payments\",", "", StringComparison.Ordinal));
        var withSimulator = CellOverlay.Render(CellFile.Load(path), new OverlayOptions());
        Assert.Contains("components/payments-simulator", withSimulator["kustomization.yaml"], StringComparison.Ordinal);
        Assert.Contains("Payments__BaseUrl=http://payments\n", withSimulator["cell.env"], StringComparison.Ordinal);
    }
}
