using Npgsql;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Tenancy.Catalog;

/// <summary>
/// The resellers of the cell, read from the cell's catalog database into memory and refreshed periodically
/// (see <see cref="CatalogRefreshService"/>), so request resolution never queries the catalog.
/// </summary>
public sealed class CatalogStore(CatalogDataSource catalog) : SnapshotStore
{
    private long _version = -1;

    /// <summary>True once the catalog has been read at least once.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>Reloads every reseller from the catalog database.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT r.id, r.name, r.cell, r.database_name, r.redis_name, r.origin = 'onboarded', r.redis_endpoint,
                   coalesce(array_agg(h.host ORDER BY h.host) FILTER (WHERE h.host IS NOT NULL), '{}'),
                   (SELECT version FROM catalog_version)
            FROM resellers r LEFT JOIN reseller_hosts h ON h.reseller_id = r.id
            GROUP BY r.id ORDER BY r.id
            """;
        var resellers = new List<ResellerTenantInfo>();
        long? version = null;
        await using (var cmd = catalog.DataSource.CreateCommand(sql))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                resellers.Add(new ResellerTenantInfo(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<string[]>(7))
                {
                    Onboarded = reader.GetBoolean(5),
                    RedisEndpoint = reader.IsDBNull(6) ? null : reader.GetString(6),
                });
                version = reader.GetInt64(8);
            }
        }

        Replace(resellers);
        // an empty catalog has no row to carry the version: read it on its own
        Volatile.Write(ref _version, version ?? await VersionAsync(ct));
        IsLoaded = true;
    }

    /// <summary>
    /// Reloads when the catalog changed since the last load (one single-row read otherwise); true when it reloaded.
    /// </summary>
    public async Task<bool> RefreshIfChangedAsync(CancellationToken ct)
    {
        if (IsLoaded && await VersionAsync(ct) == Volatile.Read(ref _version))
        {
            return false;
        }

        await RefreshAsync(ct);
        return true;
    }

    private async Task<long> VersionAsync(CancellationToken ct)
    {
        await using var cmd = catalog.DataSource.CreateCommand("SELECT version FROM catalog_version");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>The cell catalog database's data source.</summary>
public sealed class CatalogDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    /// <summary>Name of the catalog database on the cell's Postgres server.</summary>
    public const string DatabaseName = "catalog";

    /// <summary>The data source.</summary>
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
