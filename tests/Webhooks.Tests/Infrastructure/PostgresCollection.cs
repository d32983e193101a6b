using Npgsql;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Webhooks.Infrastructure;

namespace TicketAspire.Webhooks.Tests.Infrastructure;

/// <summary>One real Postgres server for the run (the inventory tests' <see cref="PostgresServer"/>); a database per test.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}

/// <summary>Fresh reseller databases: the inventory scripts, then the webhook scripts, as the migrator applies them.</summary>
public static class Databases
{
    public static async Task<NpgsqlDataSource> CreateAsync(this PostgresServer server, string name)
    {
        var db = await server.CreateDatabaseAsync(name, maxPoolSize: 50);
        await SqlMigrator.MigrateAsync(db, WebhookMigrations.All, CancellationToken.None);
        return db;
    }

    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var v in values)
        {
            cmd.Parameters.Add(new() { Value = v });
        }

        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task ExecAsync(this NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var v in values)
        {
            cmd.Parameters.Add(new() { Value = v });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Writes an outbox row as the producers do.</summary>
    public static Task<long> OutboxAsync(this NpgsqlDataSource db, string topic, string payload, DateTimeOffset at) =>
        db.ScalarAsync<long>("INSERT INTO outbox (topic, aggregate_id, payload, created_at) VALUES ($1, $2, $3::jsonb, $4) RETURNING id",
            topic, Guid.NewGuid(), payload, at);
}
