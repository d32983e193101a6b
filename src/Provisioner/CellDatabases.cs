using Npgsql;
using TicketAspire.Tenancy.Catalog;

namespace TicketAspire.Provisioner;

/// <summary>The cell's Postgres server as the provisioner reaches it: as the superuser (<c>ConnectionStrings:postgres</c>).</summary>
public sealed class CellDatabases : IAsyncDisposable
{
    /// <summary>Connects to the server given by <paramref name="server"/>.</summary>
    public CellDatabases(string server)
    {
        Server = server;
        ServerDb = NpgsqlDataSource.Create(server);
        Catalog = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server) { Database = CatalogDataSource.DatabaseName }.ConnectionString);
    }

    /// <summary>The superuser connection string (the server's maintenance database).</summary>
    public string Server { get; }

    /// <summary>The server (maintenance database).</summary>
    public NpgsqlDataSource ServerDb { get; }

    /// <summary>The cell catalog.</summary>
    public NpgsqlDataSource Catalog { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ServerDb.DisposeAsync();
        await Catalog.DisposeAsync();
    }
}
