using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Catalog;

namespace TicketAspire.AppHost.Extensions;

/// <summary>Composes one jurisdiction cell: its Postgres, a Redis per reseller, migrator, API, identity, worker and payment service.</summary>
public static class CellExtensions
{
    /// <summary>
    /// The cell's own host (<c>eu.localhost</c>), no reseller's: the storefront serves the platform's pages there (the
    /// reseller application form at <c>/apply</c>), directly and through the router.
    /// </summary>
    public static string PlatformHost(CellFile cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return $"{cell.Id}.localhost";
    }

    /// <summary>Adds every resource of <paramref name="cell"/>; names start with the cell id (<c>eu-api</c>).</summary>
    public static void AddJurisdictionCell(this IDistributedApplicationBuilder builder, CellFile cell, CellSettings settings)
    {
        string N(string name) => $"{cell.Id}-{name}";

        // ---- infrastructure: the cell's Postgres server, one Redis-protocol server per reseller ----
        // passwords of the server's logins, Parameters:<cell>-postgres-password (the superuser: the migrator's alone),
        // <cell>-catalog-db-password and <cell>-<reseller>-db-password (each database's own role); from user secrets or
        // configuration, else generated once and kept under the data root (<dataDir>/<cell>-db-passwords/<login>, 0600)
        IResourceBuilder<ParameterResource> Password(string name, string file) =>
            builder.AddParameter(N($"{name}-password"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("db-passwords"), file)), secret: true);
        var superuserPassword = Password("postgres", "postgres");
        var pgResource = new PostgresExeResource(N("postgres"), "/bin/bash", settings.RepoRoot, superuserPassword.Resource);
        var postgres = builder.AddResource(pgResource)
            .WithArgs(Path.Combine(settings.RepoRoot, "scripts", "run-postgres.sh"), Path.Combine(settings.DataRoot, N("postgres")))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithEnvironment("PG_DURABLE", settings.DurablePostgres ? "true" : "false")
            .WithEnvironment("PG_SUPERUSER_PASSWORD", superuserPassword)
            .WithHealthCheck(HealthChecks.AddPostgresCheck(builder, pgResource))
            .WithRestartOnExit();

        var redisServers = new List<(ResellerEntry Reseller, IResourceBuilder<IResource> Server, EndpointReference Endpoint)>();
        foreach (var reseller in cell.Resellers)
        {
            var name = N($"{reseller.Id}-redis");
            if (cell.RedisKind == "redis-server")
            {
                var redis = builder.AddExecutable(name, "redis-server", settings.RepoRoot).WithEndpoint(name: "tcp", scheme: "tcp");
                var endpoint = redis.GetEndpoint("tcp");
                redis.WithArgs(ctx =>
                {
                    ctx.Args.Add("--port");
                    ctx.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                    ctx.Args.Add("--bind");
                    ctx.Args.Add("127.0.0.1");
                    ctx.Args.Add("--save");
                    ctx.Args.Add("");
                    ctx.Args.Add("--appendonly");
                    ctx.Args.Add("no");
                }).WithHealthCheck(HealthChecks.AddRedisCheck(builder, name, endpoint)).WithRestartOnExit();
                redisServers.Add((reseller, redis, endpoint));
            }
            else
            {
                var garnet = builder.AddProject<Projects.GarnetHost>(name).WithEndpoint(name: "tcp", scheme: "tcp", env: "GARNET_PORT");
                var endpoint = garnet.GetEndpoint("tcp");
                garnet.WithHealthCheck(HealthChecks.AddRedisCheck(builder, name, endpoint)).WithRestartOnExit();
                redisServers.Add((reseller, garnet, endpoint));
            }
        }

        // ---- migrator: catalog + one database per reseller, before any service takes traffic ----
        var migrator = builder.AddProject<Projects.Migrator>(N("migrator"))
            .WithReference(postgres, connectionName: "postgres").WaitFor(postgres)
            .WithCellConfiguration(cell, includeResellers: true);

        // the cell's onboarding key (Parameters:<cell>-onboarding-key, else generated once under the data root): the
        // database passwords of resellers onboarded at run time are derived from it, and their integrator secrets travel
        // from the API to the provisioner sealed with it (docs/onboarding.md)
        var onboardingKey = builder.AddParameter(N("onboarding-key"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("client-secrets"), "onboarding-key")), secret: true);
        migrator.WithEnvironment("ResellerStorageOptions__OnboardingKey", onboardingKey);

        // clients the migrator provisions, with secrets that are never committed: Parameters:<cell>-<reseller>-client-secret
        // (and optionally Parameters:<cell>-<reseller>-client-jwks, public keys for private_key_jwt) for each reseller's
        // integrator, Parameters:<cell>-support-client-secret and <cell>-operator-client-secret for the platform staff; from
        // user secrets or configuration, else generated once and kept under the data root (<dataDir>/<cell>-client-secrets/)
        IResourceBuilder<ParameterResource> Secret(string name) =>
            builder.AddParameter(N($"{name}-client-secret"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("client-secrets"), name)), secret: true);
        foreach (var reseller in cell.Resellers)
        {
            migrator.WithEnvironment($"IntegratorSecrets__{reseller.Id}", Secret(reseller.Id));
            if (!string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{N($"{reseller.Id}-client-jwks")}"]))
            {
                migrator.WithEnvironment($"IntegratorJwks__{reseller.Id}", builder.AddParameter(N($"{reseller.Id}-client-jwks")));
            }
        }

        var staffSecrets = new Dictionary<string, IResourceBuilder<ParameterResource>>(StringComparer.Ordinal);
        foreach (var role in new[] { "support", "operator" })
        {
            staffSecrets[role] = Secret(role);
            migrator.WithEnvironment($"StaffSecrets__{role}", staffSecrets[role]);
        }

        // the password of the console accounts the migrator seeds (Parameters:<cell>-console-password, else generated once
        // under the data root): each reseller's administrator (admin@<reseller>.example) and the cell's staff
        // (support@<cell>.ticketaspire.example, operator@<cell>.ticketaspire.example), see README "Consoles"
        var consolePassword = builder.AddParameter(N("console-password"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("client-secrets"), "console-password")), secret: true);
        migrator.WithEnvironment("ConsoleAccounts__Password", consolePassword);

        // the cell catalog and one database per reseller, shown under the server; they exist once the migrator is done.
        // Each has a login role of its own name that can open it and no other: the migrator creates it with the password
        // (DatabasePasswords__<database>), the services log in with it
        var databases = new Dictionary<string, IResourceBuilder<ResellerDatabaseResource>>(StringComparer.Ordinal);
        foreach (var (resource, database) in cell.Resellers.Select(r => (N($"{r.Id}-db"), ResellerTenantInfo.DatabaseNameFor(r.Id)))
                     .Prepend((N("catalog-db"), CatalogDataSource.DatabaseName)))
        {
            var password = Password(resource[(cell.Id.Length + 1)..], database);
            migrator.WithEnvironment($"DatabasePasswords__{database}", password);
            var db = new ResellerDatabaseResource(resource, database, pgResource, password.Resource);
            databases[database] = builder.AddResource(db)
                .WithParentRelationship(postgres)
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "PostgresDatabase",
                    State = KnownResourceStates.Waiting,
                    Properties = [new("postgres.database", database)],
                })
                .WithHealthCheck(HealthChecks.AddDatabaseCheck(builder, db));
            builder.Eventing.Subscribe<InitializeResourceEvent>(db, (e, ct) =>
            {
                _ = MirrorMigratorAsync(e, migrator.Resource);
                return Task.CompletedTask;
            });
        }

        // ---- services ----
        var api = builder.AddProject<Projects.Api>(N("api"))
            .WithHttpEndpoint(port: settings.FixedPorts ? cell.ApiPort : null)
            .WithHttpHealthCheck("/health")
            .WithReplicas(settings.ApiReplicas)
            .WithCellDatabases(cell, databases).WaitForCompletion(migrator)
            .WithCellConfiguration(cell, includeResellers: false)
            .WithClientAddresses(cell)
            .WithAbuseSettings(builder, cell, settings);

        // the cell's OpenID Connect provider: one issuer per reseller (/acme, …) and the platform issuer (/platform); its
        // public origin is its own endpoint, so issuers stay the same however a request reaches it; keys and Data
        // Protection keys are kept under the data root
        var identity = builder.AddProject<Projects.Identity>(N("identity"))
            .WithHttpEndpoint(port: settings.FixedPorts ? cell.IdentityPortOrDefault : null)
            .WithHttpHealthCheck("/health")
            .WithCellDatabases(cell, databases).WaitForCompletion(migrator)
            .WithEnvironment("IdentityKeyOptions__Directory", Path.Combine(settings.DataRoot, N("identity-keys")))
            .WithEnvironment("DataProtection__Directory", Path.Combine(settings.DataRoot, N("identity-dataprotection")))
            .WithCellConfiguration(cell, includeResellers: false)
            .WithClientAddresses(cell);
        var issuerOrigin = identity.GetEndpoint("http");
        identity.WithEnvironment("IssuerOptions__PublicOrigin", issuerOrigin);

        // the API validates tokens with the keys from the identity's discovery document, fetched through service discovery
        api.WithReference(identity).WaitFor(identity)
            .WithEnvironment("Identity__MetadataService", $"http://{identity.Resource.Name}")
            .WithEnvironment("Identity__PublicOrigin", issuerOrigin);

        var worker = builder.AddProject<Projects.Worker>(N("worker"))
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithCellDatabases(cell, databases).WaitForCompletion(migrator)
            .WithCellConfiguration(cell, includeResellers: false);

        // admission tokens of waiting rooms: the API signs and checks them; one key per cell, shared by API and worker
        var waitingRoomKey = builder.AddParameter(N("waiting-room-key"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("client-secrets"), "waiting-room-key")), secret: true);
        api.WithEnvironment("WaitingRoom__SigningKey", waitingRoomKey);
        worker.WithEnvironment("WaitingRoom__SigningKey", waitingRoomKey);

        // the seed every reseller's ticket signing key (QR codes, ES256) is derived from: the API signs and checks, the
        // worker signs the QR codes of the confirmation e-mails
        var ticketSigningSeed = builder.AddParameter(N("ticket-signing-seed"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("client-secrets"), "ticket-signing-seed")), secret: true);
        api.WithEnvironment("Tickets__SigningSeed", ticketSigningSeed);
        worker.WithEnvironment("Tickets__SigningSeed", ticketSigningSeed);
        if (builder.Configuration["TicketAspire:WaitingRoom:Interval"] is { Length: > 0 } admitInterval)
        {
            worker.WithEnvironment("WaitingRoom__Interval", admitInterval);
        }

        if (builder.Configuration["TicketAspire:Pricing:Interval"] is { Length: > 0 } pricingInterval)
        {
            worker.WithEnvironment("Pricing__Interval", pricingInterval);
        }

        // the cell's payment service (a PSP simulator with its own SQLite file under the data root); it sends its webhooks
        // to the API, the API and worker call it through service discovery, the buyer's browser at its public origin
        var paymentsApiKey = builder.AddParameter(N("payments-api-key"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("client-secrets"), "payments-api-key")), secret: true);
        var paymentsWebhookSecret = builder.AddParameter(N("payments-webhook-secret"), new GeneratedSecretFile(Path.Combine(settings.DataRoot, N("client-secrets"), "payments-webhook-secret")), secret: true);
        var payments = builder.AddProject<Projects.Payments_Simulator>(N("payments"))
            .WithHttpEndpoint(port: settings.FixedPorts ? cell.PaymentsPortOrDefault : null)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Psp__DataDir", Path.Combine(settings.DataRoot, N("payments")))
            .WithEnvironment("Psp__ApiKey", paymentsApiKey)
            .WithEnvironment("Psp__WebhookSecret", paymentsWebhookSecret)
            .WithEnvironment("Psp__WebhookUrl", ReferenceExpression.Create($"{api.GetEndpoint("http")}/v1/psp/webhooks"));
        // tests shorten the simulator's delays: TicketAspire:Payments:AsyncDelay=300ms, …
        foreach (var key in new[] { "AsyncDelay", "DisputeDelay", "FraudDelay", "WebhookRetrySchedule", "TimeoutHold" })
        {
            if (builder.Configuration[$"TicketAspire:Payments:{key}"] is { Length: > 0 } value)
            {
                payments.WithEnvironment($"Psp__{key}", value);
            }
        }

        var paymentsOrigin = payments.GetEndpoint("http");
        foreach (var client in new[] { api, worker })
        {
            client.WithReference(payments)
                .WithEnvironment("Payments__BaseUrl", $"http://{payments.Resource.Name}")
                .WithEnvironment("Payments__PublicOrigin", paymentsOrigin)
                .WithEnvironment("Payments__ApiKey", paymentsApiKey)
                .WithEnvironment("Payments__WebhookSecret", paymentsWebhookSecret);
            // how long one PSP call may take before the resilience policy retries it (tests shorten it)
            if (builder.Configuration["TicketAspire:Payments:AttemptTimeout"] is { Length: > 0 } attemptTimeout)
            {
                client.WithEnvironment("Payments__AttemptTimeout", attemptTimeout);
            }
        }

        api.WaitFor(payments);

        // the cell's hosted storefront: every reseller's site on its own hosts (the router sends them there), buyers
        // signed in at their reseller's issuer in the browser, every call through the API with the buyer's token
        var web = builder.AddProject<Projects.Web>(N("web"))
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithReference(api).WaitFor(api).WaitFor(identity)
            .WithEnvironment("Api__BaseUrl", $"http://{api.Resource.Name}")
            .WithEnvironment("Identity__PublicOrigin", issuerOrigin)
            .WithEnvironment("DataProtection__Directory", Path.Combine(settings.DataRoot, N("web-dataprotection")))
            // the cell's own host (no reseller's): the platform's pages there, the reseller application form at /apply
            .WithEnvironment("Platform__Hosts__0", PlatformHost(cell))
            .WithEnvironment("Platform__Cell", cell.Id);
        foreach (var (key, value) in Deploy.CellOverlay.StorefrontSettings(cell))
        {
            web.WithEnvironment(key, value);
        }


        // optional delivery settings for every cell (tests shorten the retry schedule): TicketAspire:Webhooks:<key>; the API
        // reads the ones about endpoints (MaxEndpoints, SecretOverlap)
        foreach (var setting in builder.Configuration.GetSection("TicketAspire:Webhooks").AsEnumerable(makePathsRelative: true).Where(s => s.Value is not null))
        {
            worker.WithEnvironment($"Webhooks__{setting.Key.Replace(":", "__", StringComparison.Ordinal)}", setting.Value);
            api.WithEnvironment($"Webhooks__{setting.Key.Replace(":", "__", StringComparison.Ordinal)}", setting.Value);
        }

        // optional load-shedding settings for every API (tests turn the simulated-load control on): TicketAspire:Shedding:<key>
        foreach (var setting in builder.Configuration.GetSection("TicketAspire:Shedding").AsEnumerable(makePathsRelative: true).Where(s => s.Value is not null))
        {
            api.WithEnvironment($"Shedding__{setting.Key.Replace(":", "__", StringComparison.Ordinal)}", setting.Value);
        }

        foreach (var reseller in cell.Resellers.Where(r => r.Holds is not null))
        {
            // the API and the worker (waitlist offers) hold under the same limits
            var prefix = $"Resellers__{reseller.Id}__HoldOptions__";
            var limits = new (string Key, int? Value)[]
            {
                ("DefaultExpireSeconds", reseller.Holds!.DefaultExpireSeconds), ("MaxExpireSeconds", reseller.Holds.MaxExpireSeconds),
                ("MaxSeatsPerHold", reseller.Holds.MaxSeatsPerHold), ("MaxTicketsPerCustomerPerEvent", reseller.Holds.MaxTicketsPerCustomerPerEvent),
            };
            foreach (var (key, value) in limits.Where(l => l.Value is not null))
            {
                api.WithEnvironment(prefix + key, value!.Value.ToString(CultureInfo.InvariantCulture));
                worker.WithEnvironment(prefix + key, value.Value.ToString(CultureInfo.InvariantCulture));
            }
        }

        // fee plans: the cell's (Fees__*), then each reseller's own (Resellers__<id>__Fees__*)
        foreach (var (prefix, fees) in cell.Resellers.Select(r => ($"Resellers__{r.Id}__Fees__", r.Fees)).Prepend(("Fees__", cell.Fees)))
        {
            foreach (var (key, value) in fees?.Settings() ?? [])
            {
                api.WithEnvironment(prefix + key, value);
                worker.WithEnvironment(prefix + key, value);
            }
        }

        foreach (var service in new[] { api, identity, worker })
        {
            service.WithEnvironment("ResellerStorageOptions__OnboardingKey", onboardingKey);
        }

        // the cell's provisioner: onboards and offboards resellers at run time (jobs the API writes into the catalog); it
        // has the superuser, as the migrator, and starts each onboarded reseller's own Redis server as a child process
        var provisioner = builder.AddProject<Projects.Provisioner>(N("provisioner"))
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithReference(postgres, connectionName: "postgres").WaitFor(postgres).WaitForCompletion(migrator)
            .WithCellConfiguration(cell, includeResellers: false)
            .WithEnvironment("ResellerStorageOptions__OnboardingKey", onboardingKey)
            .WithEnvironment("Provisioner__RedisKind", cell.RedisKind == "redis-server" ? "redis-server" : "garnet")
            .WithEnvironment("Provisioner__GarnetHostAssembly", GarnetHostAssembly())
            .WithEnvironment("Provisioner__ExportDirectory", Path.Combine(settings.DataRoot, N("exports")))
            .WithEnvironment("Provisioner__ApiUrl", api.GetEndpoint("http"))
            .WithEnvironment("Provisioner__IdentityUrl", identity.GetEndpoint("http"))
            .WithEnvironment("Provisioner__IdentityPublicOrigin", issuerOrigin)
            .WithOnboardingCommand(cell.Id, api, identity, staffSecrets["operator"])
            .WithApplicationCommands(cell.Id, api, identity, staffSecrets["operator"]);
        if (builder.Configuration["TicketAspire:Provisioner:DrainDelay"] is { Length: > 0 } drain)
        {
            provisioner.WithEnvironment("Provisioner__DrainDelay", drain);
        }

        foreach (var (reseller, server, endpoint) in redisServers)
        {
            var connectionName = "ConnectionStrings__" + ResellerTenantInfo.RedisConnectionNameFor(reseller.Id);
            var hostAndPort = ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}");
            api.WithEnvironment(connectionName, hostAndPort).WaitFor(server);
            worker.WithEnvironment(connectionName, hostAndPort).WaitFor(server);
        }
    }

    /// <summary>GarnetHost's built assembly (the provisioner runs <c>dotnet &lt;it&gt;</c> per onboarded reseller).</summary>
    private static string GarnetHostAssembly()
    {
        var project = Path.GetFullPath(new Projects.GarnetHost().ProjectPath);
        return BuiltOutputLaunch.ServiceOutputs.TryGetValue(project, out var assembly)
            ? assembly
            : Path.Combine(Path.GetDirectoryName(project)!, "bin", "Debug", "net10.0", "TicketAspire.GarnetHost.dll");
    }

    /// <summary>A database resource turns Running when the migrator finished successfully, FailedToStart otherwise.</summary>
    private static async Task MirrorMigratorAsync(InitializeResourceEvent e, ProjectResource migrator)
    {
        var notifications = e.Notifications;
        try
        {
            var done = await notifications.WaitForResourceAsync(
                migrator.Name,
                re => KnownResourceStates.TerminalStates.Contains(re.Snapshot.State?.Text),
                e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            var succeeded = done.Snapshot.ExitCode == 0;
            await notifications.PublishUpdateAsync(e.Resource, s => s with
            {
                State = succeeded ? KnownResourceStates.Running : KnownResourceStates.FailedToStart,
                StartTimeStamp = succeeded ? DateTime.UtcNow : s.StartTimeStamp,
            });
        }
        catch (OperationCanceledException)
        {
            // the AppHost is stopping
        }
    }

    /// <summary>
    /// The cell's databases as a service sees them: <c>ConnectionStrings:postgres</c> is the catalog (as the catalog's own
    /// role; never the superuser), and each reseller's database is opened as that reseller's role with the password in
    /// <c>ResellerStorageOptions:Passwords:&lt;reseller&gt;</c>.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithCellDatabases(this IResourceBuilder<ProjectResource> project, CellFile cell,
        Dictionary<string, IResourceBuilder<ResellerDatabaseResource>> databases)
    {
        project.WithReference(databases[CatalogDataSource.DatabaseName], connectionName: "postgres");
        foreach (var reseller in cell.Resellers)
        {
            project.WithEnvironment($"ResellerStorageOptions__Passwords__{reseller.Id}",
                databases[ResellerTenantInfo.DatabaseNameFor(reseller.Id)].Resource.Password);
        }

        return project;
    }

    /// <summary>Passes the cell's id, currency and rules (and for the migrator its resellers) as configuration.</summary>
    private static IResourceBuilder<ProjectResource> WithCellConfiguration(this IResourceBuilder<ProjectResource> project, CellFile cell, bool includeResellers)
    {
        project.WithEnvironment("Cell__Id", cell.Id)
            .WithEnvironment("Cell__Jurisdiction", cell.Jurisdiction)
            .WithEnvironment("Cell__Currency", cell.Currency)
            .WithEnvironment("Cell__Development", cell.Development.ToString());
        if (cell.Rules is { } rules)
        {
            project.WithEnvironment("CellRules__ResaleAllowed", rules.ResaleAllowed.ToString())
                .WithEnvironment("CellRules__ResalePriceCapPercent", rules.ResalePriceCapPercent.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("CellRules__DynamicPricingAllowed", rules.DynamicPricingAllowed.ToString())
                .WithEnvironment("CellRules__DynamicPriceMinPercent", rules.DynamicPriceMinPercent.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("CellRules__DynamicPriceMaxPercent", rules.DynamicPriceMaxPercent.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("CellRules__TransfersAllowed", rules.TransfersAllowed.ToString())
                .WithEnvironment("CellRules__GuestCheckout", rules.GuestCheckout.ToString())
                .WithEnvironment("CellRules__DataRetentionDays", rules.DataRetentionDays.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("CellRules__TaxRatePercent", rules.TaxRatePercent.ToString(CultureInfo.InvariantCulture));
        }

        if (includeResellers)
        {
            for (var i = 0; i < cell.Resellers.Count; i++)
            {
                var r = cell.Resellers[i];
                project.WithEnvironment($"Cell__Resellers__{i}__Id", r.Id).WithEnvironment($"Cell__Resellers__{i}__Name", r.Name)
                    .WithEnvironment($"Cell__Resellers__{i}__IntegratorClientId", r.ClientId);
                for (var u = 0; u < (r.Storefront?.RedirectUris?.Count ?? 0); u++)
                {
                    project.WithEnvironment($"Cell__Resellers__{i}__StorefrontRedirectUris__{u}", r.Storefront!.RedirectUris![u]);
                }

                for (var u = 0; u < (r.Storefront?.PostLogoutRedirectUris?.Count ?? 0); u++)
                {
                    project.WithEnvironment($"Cell__Resellers__{i}__StorefrontPostLogoutRedirectUris__{u}", r.Storefront!.PostLogoutRedirectUris![u]);
                }

                for (var h = 0; h < r.Hosts.Count; h++)
                {
                    project.WithEnvironment($"Cell__Resellers__{i}__Hosts__{h}", r.Hosts[h]);
                }
            }
        }

        return project;
    }
}

/// <summary>Settings of this AppHost run (configuration keys under <c>TicketAspire:</c>).</summary>
/// <param name="RepoRoot">The repository root.</param>
/// <param name="DataRoot">Where each cell's Postgres data directory lives.</param>
/// <param name="DurablePostgres">fsync on (runs) or off (tests).</param>
/// <param name="FixedPorts">Give each cell's API the fixed port of its cell file.</param>
/// <param name="ApiReplicas">API processes per cell.</param>
public sealed record CellSettings(string RepoRoot, string DataRoot, bool DurablePostgres, bool FixedPorts, int ApiReplicas);
