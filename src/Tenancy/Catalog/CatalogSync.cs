using Npgsql;

namespace TicketAspire.Tenancy.Catalog;

/// <summary>Writes the cell file's resellers into the catalog database (the migrator runs it at start-up).</summary>
public static class CatalogSync
{
    /// <summary>Inserts or updates every reseller and replaces its hosts, in one transaction.</summary>
    public static async Task SyncAsync(NpgsqlDataSource catalog, string cell, IEnumerable<ResellerTenantInfo> resellers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(resellers);
        await using var conn = await catalog.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var r in resellers)
        {
            await using (var upsert = new NpgsqlCommand("""
                INSERT INTO resellers (id, name, cell, database_name, redis_name) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, cell = excluded.cell,
                    database_name = excluded.database_name, redis_name = excluded.redis_name, updated_at = now()
                """, conn, tx))
            {
                upsert.Parameters.Add(new() { Value = r.Id });
                upsert.Parameters.Add(new() { Value = r.Name });
                upsert.Parameters.Add(new() { Value = cell });
                upsert.Parameters.Add(new() { Value = r.DatabaseName });
                upsert.Parameters.Add(new() { Value = r.RedisConnectionName });
                await upsert.ExecuteNonQueryAsync(ct);
            }

            await using var hosts = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("DELETE FROM reseller_hosts WHERE reseller_id = $1") { Parameters = { new() { Value = r.Id } } },
                    new NpgsqlBatchCommand("INSERT INTO reseller_hosts (host, reseller_id) SELECT lower(h), $1 FROM unnest($2::text[]) AS h")
                    {
                        Parameters = { new() { Value = r.Id }, new() { Value = r.Hosts.ToArray() } },
                    },
                },
            };
            await hosts.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }
}
