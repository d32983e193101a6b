using Npgsql;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Webhooks.Infrastructure;

namespace TicketAspire.Identity.Tests.Infrastructure;

/// <summary>One real Postgres server for the run; a database per test.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}

/// <summary>Fresh reseller databases with every script the migrator applies to one: inventory, webhooks, identity.</summary>
public static class ResellerDatabases
{
    public static async Task<NpgsqlDataSource> CreateResellerDatabaseAsync(this PostgresServer server, string name)
    {
        var db = await server.CreateDatabaseAsync(name, maxPoolSize: 60);
        await SqlMigrator.MigrateAsync(db, WebhookMigrations.All, CancellationToken.None);
        await SqlMigrator.MigrateAsync(db, SqlMigrator.Load(typeof(IdentityDbContext).Assembly), CancellationToken.None);
        return db;
    }

    public static async Task<T?> ScalarAsync<T>(this NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var v in values)
        {
            cmd.Parameters.Add(new() { Value = v });
        }

        return await cmd.ExecuteScalarAsync() is T value ? value : default;
    }
}
