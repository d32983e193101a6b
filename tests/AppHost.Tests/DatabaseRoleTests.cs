using Aspire.Hosting.ApplicationModel;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Each reseller database has a login role of its own (named like it, with a generated password): it opens that
/// database and no other, and the services never hold the superuser. Every TCP login needs its password.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DatabaseRoleTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_resellers_own_login_opens_its_database_and_is_refused_on_every_other()
    {
        var acme = await platform.App.GetConnectionStringAsync("eu-acme-db") ?? throw new InvalidOperationException("no connection string");
        Assert.Equal("reseller_acme", new NpgsqlConnectionStringBuilder(acme).Username);

        await using (var own = await OpenAsync(acme, "reseller_acme"))
        {
            await using var who = new NpgsqlCommand("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), (SELECT count(*) FROM events) >= 0", own);
            await using var reader = await who.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("reseller_acme", false, true), (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2)));
            await reader.DisposeAsync();
            // rows, not the schema: no DDL, and the migrations table is the migrator's
            var ddl = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("CREATE TABLE stolen (x int)", own).ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ddl.SqlState);
            var migrations = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("DELETE FROM schema_migrations", own).ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, migrations.SqlState);
        }

        // acme's credentials on globex's database, the catalog, the server's own databases: refused at connect
        foreach (var other in new[] { "reseller_globex", "catalog", "postgres", "template1" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(acme, other));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Fact]
    public async Task Every_login_needs_its_password_and_the_services_never_get_the_superuser()
    {
        var server = await platform.App.GetConnectionStringAsync("eu-postgres") ?? throw new InvalidOperationException("no connection string");
        var superuser = new NpgsqlConnectionStringBuilder(server);
        Assert.False(string.IsNullOrEmpty(superuser.Password));

        // no trust left: the superuser without a password, or with a wrong one, is refused
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(new NpgsqlConnectionStringBuilder(server) { Password = null }.ConnectionString, "postgres"));
        var wrong = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(new NpgsqlConnectionStringBuilder(server) { Password = "guess" }.ConnectionString, "postgres"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, wrong.SqlState);
        var globex = new NpgsqlConnectionStringBuilder(await platform.App.GetConnectionStringAsync("eu-globex-db")) { Password = superuser.Password };
        await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(globex.ConnectionString, "reseller_globex"));

        // the API, identity and worker log in to the catalog as its own role and to each reseller's database as that
        // reseller's role; the superuser's password is in none of their settings
        // a replicated project's instances have names of their own (eu-api-<suffix>): the snapshots are found by resource
        foreach (var (service, snapshot) in await RunningSnapshotsAsync("eu-api", "eu-identity", "eu-worker"))
        {
            var env = snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value ?? "", StringComparer.Ordinal);
            Assert.Equal("catalog", new NpgsqlConnectionStringBuilder(env["ConnectionStrings__postgres"]).Username);
            Assert.True(env.ContainsKey("ResellerStorageOptions__Passwords__acme"), $"{service} has no password of acme's role");
            Assert.DoesNotContain(env, v => v.Value.Contains(superuser.Password!, StringComparison.Ordinal));
        }
    }

    /// <summary>A running instance's snapshot of each project resource.</summary>
    private async Task<Dictionary<string, CustomResourceSnapshot>> RunningSnapshotsAsync(params string[] resources)
    {
        var found = new Dictionary<string, CustomResourceSnapshot>(StringComparer.Ordinal);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in platform.App.ResourceNotifications.WatchAsync(cts.Token))
        {
            if (resources.Contains(e.Resource.Name) && e.Snapshot.State?.Text == KnownResourceStates.Running)
            {
                found[e.Resource.Name] = e.Snapshot;
                if (found.Count == resources.Length)
                {
                    break;
                }
            }
        }

        return found;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, string database)
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false, Timeout = 5 }.ConnectionString);
        try
        {
            await conn.OpenAsync();
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }
}
