using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Catalog;

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

            await using var clients = new IntegratorClientProvisioner();
            foreach (var (entry, reseller) in options.Resellers.Zip(resellers))
            {
                var created = await SqlMigrator.EnsureDatabaseAsync(serverDb, reseller.DatabaseName, ct);
                var connectionString = WithDatabase(server, reseller.DatabaseName);
                await using var db = NpgsqlDataSource.Create(connectionString);
                // inventory scripts are versions 1.., identity's (OpenIddict tables) 1001..; one schema_migrations table
                var applied = await SqlMigrator.MigrateAsync(db, SqlMigrator.InventoryMigrations, ct);
                var appliedIdentity = await SqlMigrator.MigrateAsync(db, IdentityMigrations, ct);
                logger.LogInformation("{Reseller}: database {Database} {Created}, migrations {Applied}",
                    reseller.Id, reseller.DatabaseName, created ? "created" : "exists",
                    applied.Count + appliedIdentity.Count == 0 ? "up to date" : string.Join(", ", applied.Concat(appliedIdentity)));
                await ProvisionIntegratorClientAsync(clients, entry, connectionString, ct);
            }

            logger.LogInformation("Cell {Cell} migrated in {Elapsed} ms", options.Id, sw.ElapsedMilliseconds);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            logger.LogError(ex, "Cell {Cell}: migration failed", options.Id);
            return false;
        }
    }

    private static readonly IReadOnlyList<Migration> IdentityMigrations = SqlMigrator.Load(typeof(IdentityDbContext).Assembly);

    /// <summary>The reseller's first integrator client; its secret comes from the AppHost (an Aspire parameter), never from a file.</summary>
    private async Task ProvisionIntegratorClientAsync(IntegratorClientProvisioner clients, ResellerOptions reseller, string connectionString, CancellationToken ct)
    {
        var clientId = string.IsNullOrWhiteSpace(reseller.IntegratorClientId) ? $"{reseller.Id}-backend" : reseller.IntegratorClientId;
        var secret = configuration[$"IntegratorSecrets:{reseller.Id}"];
        if (string.IsNullOrEmpty(secret))
        {
            logger.LogWarning("{Reseller}: no IntegratorSecrets:{Reseller} configured, integrator client {ClientId} not provisioned",
                reseller.Id, reseller.Id, clientId);
            return;
        }

        var outcome = await clients.EnsureAsync(connectionString, clientId, $"{reseller.Name} back end", secret, ct);
        logger.LogInformation("{Reseller}: integrator client {ClientId} {Outcome}", reseller.Id, clientId, outcome);
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
