using Npgsql;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Tenancy.Catalog;

/// <summary>
/// The resellers of the cell, read from the cell's catalog database into memory and refreshed periodically
/// (see <see cref="CatalogRefreshService"/>), so request resolution never queries the catalog.
/// </summary>
public sealed class CatalogStore(CatalogDataSource catalog) : SnapshotStore
{
    /// <summary>True once the catalog has been read at least once.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>Reloads every reseller from the catalog database.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT r.id, r.name, r.cell, r.database_name, r.redis_name,
                   coalesce(array_agg(h.host ORDER BY h.host) FILTER (WHERE h.host IS NOT NULL), '{}')
            FROM resellers r LEFT JOIN reseller_hosts h ON h.reseller_id = r.id
            GROUP BY r.id ORDER BY r.id
            """;
        var resellers = new List<ResellerTenantInfo>();
        await using var cmd = catalog.DataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            resellers.Add(new ResellerTenantInfo(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<string[]>(5)));
        }

        Replace(resellers);
        IsLoaded = true;
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
