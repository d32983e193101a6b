using System.Text.RegularExpressions;
using Npgsql;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Webhooks.Infrastructure;

namespace TicketAspire.Migrator;

/// <summary>
/// A reseller's database on the cell's server, as the migrator (at start, every reseller) and the provisioner (at run
/// time, one reseller) create, migrate and drop it. Every call needs a superuser connection.
/// </summary>
public static partial class ResellerDatabase
{
    /// <summary>
    /// Creates the database if missing and applies every script a reseller database gets: inventory (1..), webhooks, the
    /// identity service's (OpenIddict's tables, end users; 1001..); one <c>schema_migrations</c> table.
    /// </summary>
    /// <returns>Whether it was created, and the scripts applied now.</returns>
    public static async Task<(bool Created, IReadOnlyList<string> Applied)> CreateAndMigrateAsync(
        NpgsqlDataSource serverDb, string server, string database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(serverDb);
        var created = await SqlMigrator.EnsureDatabaseAsync(serverDb, Checked(database), ct);
        await using var db = NpgsqlDataSource.Create(WithDatabase(server, database));
        var applied = (await SqlMigrator.MigrateAsync(db, SqlMigrator.InventoryMigrations, ct))
            .Concat(await SqlMigrator.MigrateAsync(db, WebhookMigrations.All, ct))
            .Concat(await SqlMigrator.MigrateAsync(db, IdentityMigrations.Reseller, ct))
            .ToList();
        return (created, applied);
    }

    /// <summary>
    /// Drops the database (closing every connection to it first) and its login role of the same name; nothing happens
    /// for what does not exist.
    /// </summary>
    public static async Task DropAsync(NpgsqlDataSource serverDb, string database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(serverDb);
        var name = Checked(database);
        await using (var drop = serverDb.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        {
            await drop.ExecuteNonQueryAsync(ct);
        }

        await using var role = serverDb.CreateCommand($"DROP ROLE IF EXISTS \"{name}\"");
        await role.ExecuteNonQueryAsync(ct);
    }

    /// <summary>True when <paramref name="database"/> exists on the server.</summary>
    public static async Task<bool> ExistsAsync(NpgsqlDataSource serverDb, string database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(serverDb);
        await using var cmd = serverDb.CreateCommand("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)");
        cmd.Parameters.Add(new() { Value = database });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The server connection string pointed at <paramref name="database"/>.</summary>
    public static string WithDatabase(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    private static string Checked(string database) =>
        Identifier().IsMatch(database) ? database : throw new ArgumentException($"Invalid database name '{database}'.", nameof(database));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
