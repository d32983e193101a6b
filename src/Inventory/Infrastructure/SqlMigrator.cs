using System.Reflection;
using Npgsql;

namespace TicketAspire.Inventory.Infrastructure;

/// <summary>
/// Applies versioned SQL scripts (embedded resources named <c>NNNN_name.sql</c>) to one database, each in its own
/// transaction, under an advisory lock so concurrent starters apply each script once.
/// </summary>
public static class SqlMigrator
{
    private const long AdvisoryLockKey = 7_246_117_001;

    /// <summary>The inventory scripts of a reseller database.</summary>
    public static IReadOnlyList<Migration> InventoryMigrations { get; } = Load(typeof(SqlMigrator).Assembly);

    /// <summary>Loads the <c>.sql</c> resources of <paramref name="assembly"/>, ordered by version.</summary>
    public static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource.Split('.')[^2];                 // "...Migrations.0001_inventory.sql" -> "0001_inventory"
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(version, file, reader.ReadToEnd()));
        }

        return [.. list.OrderBy(m => m.Version)];
    }

    /// <summary>Applies the scripts not yet applied; returns the names applied now.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(NpgsqlDataSource db, IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(migrations);
        await using var conn = await db.OpenConnectionAsync(ct);
        await Exec(conn, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await Exec(conn, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var applied = new HashSet<int>();
            await using (var cmd = new NpgsqlCommand("SELECT version FROM schema_migrations", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var done = new List<string>();
            foreach (var m in migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await Exec(conn, tx, m.Sql, ct);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", conn, tx);
                record.Parameters.Add(new() { Value = m.Version });
                record.Parameters.Add(new() { Value = m.Name });
                await record.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                done.Add(m.Name);
            }

            return done;
        }
        finally
        {
            await Exec(conn, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>Creates database <paramref name="name"/> on the server of <paramref name="server"/> unless it exists.</summary>
    public static async Task<bool> EnsureDatabaseAsync(NpgsqlDataSource server, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z_][a-z0-9_]{0,62}$"))
        {
            throw new ArgumentException($"Invalid database name '{name}'.", nameof(name));
        }

        await using var exists = server.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        exists.Parameters.Add(new() { Value = name });
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return false;
        }

        try
        {
            await using var create = server.CreateCommand($"CREATE DATABASE \"{name}\"");
            await create.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>One versioned script.</summary>
public sealed record Migration(int Version, string Name, string Sql);
