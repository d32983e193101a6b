using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Webhooks.Infrastructure;

namespace TicketAspire.Worker.Tests.Infrastructure;

/// <summary>
/// A cell of two resellers, <c>acme</c> and <c>globex</c>, each with its own migrated database on the test's Postgres
/// server, behind the same tenancy pieces the worker runs on (a snapshot store, the per-reseller data sources).
/// </summary>
public sealed class TwoResellers : IAsyncDisposable
{
    private TwoResellers(NpgsqlDataSource acme, NpgsqlDataSource globex, ResellerDataSources dataSources, SnapshotStore store)
    {
        (Acme, Globex, DataSources, Store) = (acme, globex, dataSources, store);
        Context = new ResellerLoopContext(store, Accessor, Accessor, TimeProvider.System);
    }

    public NpgsqlDataSource Acme { get; }

    public NpgsqlDataSource Globex { get; }

    public ResellerDataSources DataSources { get; }

    public SnapshotStore Store { get; }

    public AsyncLocalMultiTenantContextAccessor<ResellerTenantInfo> Accessor { get; } = new();

    public ResellerLoopContext Context { get; }

    public static async Task<TwoResellers> CreateAsync(PostgresServer postgres, string name)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var acme = await CreateDatabaseAsync(postgres, name + "_acme");
        var globex = await CreateDatabaseAsync(postgres, name + "_globex");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = postgres.ConnectionString }).Build();
        var dataSources = new ResellerDataSources(config, Options.Create(new ResellerStorageOptions()), TimeProvider.System, NullLoggerFactory.Instance);
        var store = new SnapshotStore([Tenant("acme", acme), Tenant("globex", globex)]);
        return new TwoResellers(acme, globex, dataSources, store);
    }

    /// <summary>The reseller's data source as the worker gets it.</summary>
    public async ValueTask<NpgsqlDataSource> DataSourceAsync(string reseller, CancellationToken ct) =>
        await DataSources.GetAsync(await Store.GetAsync(reseller) ?? throw new InvalidOperationException($"unknown reseller '{reseller}'"));

    private static ResellerTenantInfo Tenant(string id, NpgsqlDataSource db) =>
        new(id, id, "eu", new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!, ResellerTenantInfo.RedisConnectionNameFor(id), [$"{id}.eu.localhost"]);

    private static async Task<NpgsqlDataSource> CreateDatabaseAsync(PostgresServer postgres, string name)
    {
        var db = await postgres.CreateDatabaseAsync(name, maxPoolSize: 50);
        await SqlMigrator.MigrateAsync(db, WebhookMigrations.All, CancellationToken.None);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSources.DisposeAsync();
        await Acme.DisposeAsync();
        await Globex.DisposeAsync();
    }
}
