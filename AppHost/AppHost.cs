using TicketAspire.AppHost.Deploy;
using TicketAspire.AppHost.Extensions;

var builder = DistributedApplication.CreateBuilder(args);

// Settings (command line `TicketAspire:Cells=eu` or environment `TicketAspire__Cells=eu`):
//   TicketAspire:Cells        comma-separated cell ids to start (default: every regions/*.json)
//   TicketAspire:DataDir      Postgres data, identity keys, generated client secrets (default: <repo>/.data, gitignored; tests pass a throw-away dir)
//   TicketAspire:Durable      false turns fsync off (tests)
//   TicketAspire:ApiReplicas  API processes per cell (default 2: live updates and rate limits must hold across replicas)
//   TicketAspire:RegionsDir   where the cell files are (default: <repo>/regions)
//   TicketAspire:Payments:AsyncDelay|DisputeDelay|FraudDelay|WebhookRetrySchedule|TimeoutHold  passed to each payment service (tests shorten them)
//   TicketAspire:Shedding:<key>  load-shedding settings of every API (Shedding__<key>; tests set EnableTestControl=true)
//   TicketAspire:RateLimiting:<key>  rate-limit settings of every API (RateLimiting__<key>; tests raise DeviceIds)
//   TicketAspire:LaunchBuiltOutput  false: projects run under `dotnet run` again, one launcher process each (default true)
//   TicketAspire:TrimIdleMemory  false: services keep their runtime defaults (default: idle services and the dashboard run a lean GC)
//   TicketAspire:ProcessMonitors true: DCP's watchdog process beside every process stays (default off, ~20 MiB each)
//   TicketAspire:AllowPrivateWebhookTargets  true makes every started cell a development cell: webhooks may go to http,
//                             loopback and private addresses (local receivers, the tests); never for real resellers
var config = builder.Configuration;
var repoRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
var settings = new CellSettings(
    RepoRoot: repoRoot,
    DataRoot: Path.GetFullPath(config["TicketAspire:DataDir"] ?? Path.Combine(repoRoot, ".data")),
    DurablePostgres: !string.Equals(config["TicketAspire:Durable"], "false", StringComparison.OrdinalIgnoreCase),
    FixedPorts: !string.Equals(config["TicketAspire:FixedPorts"], "false", StringComparison.OrdinalIgnoreCase),
    ApiReplicas: int.TryParse(config["TicketAspire:ApiReplicas"], out var replicas) && replicas > 0 ? replicas : 2);

var cells = CellFile.LoadAll(Path.GetFullPath(config["TicketAspire:RegionsDir"] ?? Path.Combine(repoRoot, "regions")));
var selected = config["TicketAspire:Cells"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
foreach (var unknown in selected?.Except(cells.Select(c => c.Id)) ?? [])
{
    throw new InvalidOperationException($"TicketAspire:Cells names '{unknown}', which has no file in regions/.");
}

var allowPrivateWebhookTargets = string.Equals(config["TicketAspire:AllowPrivateWebhookTargets"], "true", StringComparison.OrdinalIgnoreCase);
// publish mode: one kustomize overlay per cell file (docs/deploy.md), with
//   dotnet run --project AppHost -- --operation publish --step publish-kubernetes --output-path "$PWD/deploy"   (a relative path is taken from AppHost/)
//   TicketAspire:Deploy:ImageRegistry, TicketAspire:Deploy:ImageTag  the images the overlays name (default ticketaspire/<service>:latest)
if (builder.ExecutionContext.IsPublishMode)
{
    builder.AddKubernetesOverlays(cells, repoRoot, new OverlayOptions(
        config["TicketAspire:Deploy:ImageRegistry"] ?? "ticketaspire", config["TicketAspire:Deploy:ImageTag"] ?? "latest"));
}

var started = cells.Where(c => selected is null || selected.Contains(c.Id)).ToList();
foreach (var cell in started)
{
    builder.AddJurisdictionCell(allowPrivateWebhookTargets ? cell with { Development = true } : cell, settings);
}

// the cell router: every reseller host of the started cells on one port (TicketAspire:RouterPort, default 5000)
builder.AddCellRouter(started, settings.FixedPorts ? (int.TryParse(config["TicketAspire:RouterPort"], out var routerPort) ? routerPort : RouterExtensions.DefaultPort) : null, settings.DataRoot);

// every project runs from its built output (`dotnet <assembly>`), not under one `dotnet run` each (TicketAspire:LaunchBuiltOutput=false
// goes back to `dotnet run`): the same resources, about 65 MiB less per process (bench/footprint.sh)
builder.LaunchProjectsFromBuiltOutput();
// and every process that mostly waits keeps less memory (AppHost/Extensions/IdleMemory.cs): TicketAspire:TrimIdleMemory=false,
// TicketAspire:ProcessMonitors=true undo it
// the APIs and the resellers' Redis servers (Garnet), on the path of every request, keep their runtime defaults
var apis = started.Select(c => $"{c.Id}-api").ToHashSet(StringComparer.Ordinal);
builder.TrimIdleMemory(project => apis.Contains(project.Name) || project.Name.EndsWith("-redis", StringComparison.Ordinal));

// every endpoint is http: no development certificate is looked for (no "No trusted development certificate" banner)
builder.WithoutDevelopmentCertificates();
builder.Build().Run();
