using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Security;

namespace TicketAspire.Migrator;

/// <summary>Brings the cell's catalog and every reseller database to the latest schema.</summary>
public sealed class CellMigrator(IConfiguration configuration, IOptions<CellOptions> cell, ILogger<CellMigrator> logger)
{
    /// <summary>Runs every migration; false when something failed (the error is logged).</summary>
    public async Task<bool> RunAsync(CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var options = cell.Value;
        var server = configuration.GetConnectionString("postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:postgres is not configured.");
        try
        {
            await using var serverDb = await ConnectWithRetryAsync(server, ct);
            var resellers = options.Resellers.Select(r => r.ToTenantInfo(options.Id)).ToList();
            logger.LogInformation("Cell {Cell}: migrating catalog and {Count} reseller databases", options.Id, resellers.Count);

            await SqlMigrator.EnsureDatabaseAsync(serverDb, CatalogDataSource.DatabaseName, ct);
            await using (var catalog = NpgsqlDataSource.Create(WithDatabase(server, CatalogDataSource.DatabaseName)))
            {
                var applied = await SqlMigrator.MigrateAsync(catalog, SqlMigrator.Load(typeof(CatalogStore).Assembly), ct);
                logger.LogInformation("catalog: {Applied}", applied.Count == 0 ? "up to date" : string.Join(", ", applied));
                await CatalogSync.SyncAsync(catalog, options.Id, resellers, ct);
            }

            await using var clients = new ClientProvisioner();
            var catalogConnection = WithDatabase(server, CatalogDataSource.DatabaseName);
            await using (var catalog = NpgsqlDataSource.Create(catalogConnection))
            {
                // the platform issuer (support and operator staff clients) keeps OpenIddict's tables in the catalog
                var applied = await SqlMigrator.MigrateAsync(catalog, IdentityMigrations.Platform, ct);
                if (applied.Count > 0)
                {
                    logger.LogInformation("catalog: {Applied}", string.Join(", ", applied));
                }
            }

            await ProvisionStaffClientsAsync(clients, options.Id, catalogConnection, ct);
            await ProvisionStaffConsoleAsync(clients, options.Id, catalogConnection, ct);
            await EnsureLoginRoleAsync(serverDb, catalogConnection, CatalogDataSource.DatabaseName, ct);

            foreach (var (entry, reseller) in options.Resellers.Zip(resellers))
            {
                var (created, applied) = await ResellerDatabase.CreateAndMigrateAsync(serverDb, server, reseller.DatabaseName, ct);
                var connectionString = WithDatabase(server, reseller.DatabaseName);
                logger.LogInformation("{Reseller}: database {Database} {Created}, migrations {Applied}",
                    reseller.Id, reseller.DatabaseName, created ? "created" : "exists",
                    applied.Count == 0 ? "up to date" : string.Join(", ", applied));
                await ProvisionResellerClientsAsync(clients, entry, connectionString, ct);
                await EnsureLoginRoleAsync(serverDb, connectionString, reseller.DatabaseName, ct);
            }

            await MigrateOnboardedAsync(serverDb, server, ct);

            await DatabaseRoles.CloseMaintenanceDatabasesAsync(serverDb, ct);

            logger.LogInformation("Cell {Cell} migrated in {Elapsed} ms", options.Id, sw.ElapsedMilliseconds);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            logger.LogError(ex, "Cell {Cell}: migration failed", options.Id);
            return false;
        }
    }

    /// <summary>
    /// The resellers onboarded at run time (the catalog's, not the cell file's): their databases get the scripts added
    /// since, and their login roles the password derived from the cell's onboarding key. Their clients stay as the
    /// provisioner registered them (the integrator's secret was shown once and is not known here).
    /// </summary>
    private async Task MigrateOnboardedAsync(NpgsqlDataSource serverDb, string server, CancellationToken ct)
    {
        var onboarded = new List<(string Id, string Database)>();
        await using (var catalog = NpgsqlDataSource.Create(WithDatabase(server, CatalogDataSource.DatabaseName)))
        await using (var cmd = catalog.CreateCommand("SELECT id, database_name FROM resellers WHERE origin = 'onboarded' ORDER BY id"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                onboarded.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var key = configuration["ResellerStorageOptions:OnboardingKey"];
        foreach (var (id, database) in onboarded)
        {
            var (_, applied) = await ResellerDatabase.CreateAndMigrateAsync(serverDb, server, database, ct);
            logger.LogInformation("{Reseller} (onboarded): database {Database}, migrations {Applied}", id, database,
                applied.Count == 0 ? "up to date" : string.Join(", ", applied));
            if (string.IsNullOrEmpty(key))
            {
                logger.LogWarning("no ResellerStorageOptions:OnboardingKey configured: login role {Role} left as it is", database);
                continue;
            }

            await using var db = NpgsqlDataSource.Create(WithDatabase(server, database));
            await DatabaseRoles.EnsureAsync(serverDb, db, database, ResellerSecrets.DatabasePassword(key, database), ct);
        }
    }

    /// <summary>
    /// The reseller's first integrator client (secret and/or public keys from the AppHost's Aspire parameters, never from a
    /// file of the repository) and its storefront client.
    /// </summary>
    private async Task ProvisionResellerClientsAsync(ClientProvisioner clients, ResellerOptions reseller, string connectionString, CancellationToken ct)
    {
        var secret = configuration[$"IntegratorSecrets:{reseller.Id}"];
        var jwks = configuration[$"IntegratorJwks:{reseller.Id}"];
        if (string.IsNullOrEmpty(secret) && string.IsNullOrEmpty(jwks))
        {
            logger.LogWarning("{Reseller}: neither IntegratorSecrets:{Reseller} nor IntegratorJwks:{Reseller} configured, integrator client {ClientId} not provisioned",
                reseller.Id, reseller.Id, reseller.Id, reseller.IntegratorClient);
        }
        else
        {
            var outcome = await clients.EnsureIntegratorAsync(connectionString, reseller.IntegratorClient, $"{reseller.Name} back end", secret, jwks, ct);
            logger.LogInformation("{Reseller}: integrator client {ClientId} {Outcome}{Keys}", reseller.Id, reseller.IntegratorClient, outcome,
                string.IsNullOrEmpty(jwks) ? "" : " (private_key_jwt enabled)");
        }

        var redirects = reseller.StorefrontRedirectUris.Count > 0 ? reseller.StorefrontRedirectUris : [.. reseller.Hosts.Select(h => $"http://{h}/signin-oidc")];
        var logouts = reseller.StorefrontPostLogoutRedirectUris.Count > 0 ? reseller.StorefrontPostLogoutRedirectUris : [.. reseller.Hosts.Select(h => $"http://{h}/")];
        var storefront = await clients.EnsureStorefrontAsync(connectionString, reseller.StorefrontClient, $"{reseller.Name} storefront",
            redirects.Select(u => new Uri(u)), logouts.Select(u => new Uri(u)), ct);
        logger.LogInformation("{Reseller}: storefront client {ClientId} {Outcome}, redirect URIs {Redirects}",
            reseller.Id, reseller.StorefrontClient, storefront, string.Join(", ", redirects));

        // the reseller console on the storefront's hosts, under /console
        var consoleRedirects = redirects.Select(u => ConsolePath(u, "/signin-oidc")).ToList();
        var consoleLogouts = logouts.Select(u => ConsolePath(u, "/signout-callback-oidc")).ToList();
        var consoleClient = ConsoleClaims.ConsoleClientOf(reseller.Id);
        var console = await clients.EnsureConsoleAsync(connectionString, consoleClient, $"{reseller.Name} console", IdentityScopes.Integrator,
            consoleRedirects.Select(u => new Uri(u)), consoleLogouts.Select(u => new Uri(u)), ct);
        logger.LogInformation("{Reseller}: console client {ClientId} {Outcome}", reseller.Id, consoleClient, console);

        if (configuration["ConsoleAccounts:Password"] is { Length: > 0 } password)
        {
            await using var db = NpgsqlDataSource.Create(connectionString);
            var email = AdminEmailOf(reseller.Id);
            var outcome = await ConsoleRoles.EnsureAccountAsync(db, email, $"{reseller.Name} administrator", password, ConsoleRoles.Admin, DateTimeOffset.UtcNow, ct);
            logger.LogInformation("{Reseller}: console administrator {Email} {Outcome}", reseller.Id, email, outcome);
        }
    }

    /// <summary>The e-mail address of the administrator account seeded for a reseller of the cell file.</summary>
    public static string AdminEmailOf(string reseller) => $"admin@{reseller}.example";

    /// <summary>The e-mail address of the staff account seeded for <paramref name="role"/> of the cell.</summary>
    public static string StaffEmailOf(string cell, string role) => $"{role}@{cell}.ticketaspire.example";

    /// <summary><c>http://h/signin-oidc</c> → <c>http://h/console/signin-oidc</c>; any other address stays as it is.</summary>
    private static string ConsolePath(string uri, string callback) =>
        uri.EndsWith(callback, StringComparison.Ordinal) ? uri[..^callback.Length] + "/console" + callback : uri;

    /// <summary>
    /// The cell's staff console client on the platform issuer (redirect URIs from <c>StaffConsole:RedirectUris</c>, set by
    /// the AppHost for the cell's own host) and the staff accounts seeded from <c>ConsoleAccounts:Password</c>.
    /// </summary>
    private async Task ProvisionStaffConsoleAsync(ClientProvisioner clients, string cell, string catalogConnection, CancellationToken ct)
    {
        var redirects = configuration.GetSection("StaffConsole:RedirectUris").Get<List<string>>() ?? [];
        var logouts = configuration.GetSection("StaffConsole:PostLogoutRedirectUris").Get<List<string>>() ?? [];
        var clientId = ConsoleClaims.StaffConsoleClientOf(cell);
        if (redirects.Count == 0)
        {
            logger.LogWarning("no StaffConsole:RedirectUris configured, staff console client {ClientId} not provisioned", clientId);
        }
        else
        {
            var outcome = await clients.EnsureConsoleAsync(catalogConnection, clientId, $"{cell} staff console", [ApiScopes.Support, ApiScopes.Operator],
                redirects.Select(u => new Uri(u)), logouts.Select(u => new Uri(u)), ct);
            logger.LogInformation("platform: staff console client {ClientId} {Outcome}", clientId, outcome);
        }

        if (configuration["ConsoleAccounts:Password"] is not { Length: > 0 } password)
        {
            logger.LogWarning("no ConsoleAccounts:Password configured: no console accounts seeded");
            return;
        }

        await using var catalog = NpgsqlDataSource.Create(catalogConnection);
        foreach (var role in new[] { ConsoleRoles.Support, ConsoleRoles.Operator })
        {
            var email = StaffEmailOf(cell, role);
            var outcome = await ConsoleRoles.EnsureAccountAsync(catalog, email, $"{cell} {role}", password, role, DateTimeOffset.UtcNow, ct);
            logger.LogInformation("platform: staff account {Email} ({Role}) {Outcome}", email, role, outcome);
        }
    }

    /// <summary>
    /// The database's own login role (named like it), with its password from <c>DatabasePasswords:&lt;database&gt;</c> (the
    /// AppHost's Aspire parameters); without a password the database keeps no login of its own.
    /// </summary>
    private async Task EnsureLoginRoleAsync(NpgsqlDataSource server, string connectionString, string database, CancellationToken ct)
    {
        if (configuration[$"DatabasePasswords:{database}"] is not { Length: > 0 } password)
        {
            logger.LogWarning("no DatabasePasswords:{Database} configured: database {Database} has no login role of its own", database, database);
            return;
        }

        await using var db = NpgsqlDataSource.Create(connectionString);
        await DatabaseRoles.EnsureAsync(server, db, database, password, ct);
        logger.LogInformation("{Database}: login role {Role} may open this database only", database, database);
    }

    /// <summary>The cell's support and operator clients on the platform issuer (secrets from Aspire parameters).</summary>
    private async Task ProvisionStaffClientsAsync(ClientProvisioner clients, string cell, string catalogConnection, CancellationToken ct)
    {
        foreach (var (role, scope) in new[] { ("support", ApiScopes.Support), ("operator", ApiScopes.Operator) })
        {
            var clientId = $"{cell}-{role}";
            if (configuration[$"StaffSecrets:{role}"] is not { Length: > 0 } secret)
            {
                logger.LogWarning("no StaffSecrets:{Role} configured, staff client {ClientId} not provisioned", role, clientId);
                continue;
            }

            var outcome = await clients.EnsureStaffAsync(catalogConnection, clientId, $"{cell} {role} console", secret, [scope], ct);
            logger.LogInformation("platform: staff client {ClientId} {Outcome}", clientId, outcome);
        }
    }

    private static string WithDatabase(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    private async Task<NpgsqlDataSource> ConnectWithRetryAsync(string server, CancellationToken ct)
    {
        var ds = NpgsqlDataSource.Create(server);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await ds.OpenConnectionAsync(ct);
                return ds;
            }
            catch (NpgsqlException ex) when (attempt < 30)
            {
                logger.LogWarning("Postgres not reachable yet (attempt {Attempt}): {Error}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }
}
