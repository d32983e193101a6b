using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace TicketAspire.Migrator;

/// <summary>
/// One login role per database, named like it (<c>reseller_acme</c>, <c>catalog</c>): it may connect to its own database
/// and no other (<c>CONNECT</c> is revoked from <c>PUBLIC</c> on every database of the cell), and inside it read and
/// write the rows of every table (no DDL, no owner rights; the migrations table is read-only). Its password is set as a
/// SCRAM-SHA-256 verifier computed here, so the clear text never reaches the server or its logs.
/// </summary>
public static partial class DatabaseRoles
{
    /// <summary>Creates or updates <paramref name="role"/> with <paramref name="password"/> as the only login to <paramref name="database"/>.</summary>
    /// <param name="server">A superuser connection to the cell's server.</param>
    /// <param name="database">A superuser connection to the role's database.</param>
    /// <param name="role">The role (and database) name.</param>
    /// <param name="password">Printable ASCII (what SCRAM's SASLprep leaves unchanged).</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task EnsureAsync(NpgsqlDataSource server, NpgsqlDataSource database, string role, string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(database);
        if (!Identifier().IsMatch(role))
        {
            throw new ArgumentException($"Invalid role name '{role}'.", nameof(role));
        }

        if (string.IsNullOrEmpty(password) || password.Any(c => c is < '!' or > '~'))
        {
            throw new InvalidOperationException($"The password of role {role} must be printable ASCII without spaces.");
        }

        var databaseName = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database
            ?? throw new InvalidOperationException("The role's database has no name.");
        await ExecAsync(server, $"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE "{role}"; END IF;
            END $$;
            ALTER ROLE "{role}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD '{ScramVerifier(password)}';
            REVOKE ALL ON DATABASE "{databaseName}" FROM PUBLIC;
            GRANT CONNECT, TEMPORARY ON DATABASE "{databaseName}" TO "{role}";
            """, ct);
        await ExecAsync(database, $"""
            GRANT USAGE ON SCHEMA public TO "{role}";
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}";
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}";
            REVOKE INSERT, UPDATE, DELETE ON TABLE schema_migrations FROM "{role}";
            """, ct);
    }

    /// <summary>Nobody but the superuser may open the server's own databases (<c>postgres</c>, <c>template1</c>).</summary>
    public static Task CloseMaintenanceDatabasesAsync(NpgsqlDataSource server, CancellationToken ct) =>
        ExecAsync(server, "REVOKE ALL ON DATABASE postgres FROM PUBLIC; REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;", ct);

    /// <summary>
    /// The SCRAM-SHA-256 verifier Postgres stores for <paramref name="password"/> (RFC 5802/7677, 4096 iterations):
    /// <c>SCRAM-SHA-256$4096:salt$StoredKey:ServerKey</c>.
    /// </summary>
    public static string ScramVerifier(string password, byte[]? salt = null)
    {
        const int iterations = 4096;
        salt ??= RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    private static async Task ExecAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
