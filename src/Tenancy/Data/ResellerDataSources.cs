using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TicketAspire.Tenancy.Data;

/// <summary>
/// One <see cref="NpgsqlDataSource"/> per reseller database on the cell's Postgres server, created lazily with a capped
/// pool and closed when idle.
/// </summary>
public sealed class ResellerDataSources(
    IConfiguration configuration,
    IOptions<ResellerStorageOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IdleRegistry<NpgsqlDataSource>(time, options.Value)
{
    private readonly string _server = configuration.GetConnectionString(options.Value.PostgresConnectionName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{options.Value.PostgresConnectionName} is not configured.");

    /// <summary>The reseller's data source.</summary>
    public ValueTask<NpgsqlDataSource> GetAsync(ResellerTenantInfo tenant) => new(GetOrCreateAsync(tenant));

    /// <summary>Connection string of a reseller database on the cell server.</summary>
    public string ConnectionStringFor(ResellerTenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new NpgsqlConnectionStringBuilder(_server)
        {
            Database = tenant.DatabaseName,
            MaxPoolSize = options.Value.MaxPoolSizePerReseller,
            ApplicationName = $"ticketaspire-{tenant.Cell}-{tenant.Id}",
        }.ConnectionString;
    }

    /// <inheritdoc />
    protected override Task<NpgsqlDataSource> CreateAsync(ResellerTenantInfo tenant)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionStringFor(tenant));
        builder.UseLoggerFactory(loggerFactory);
        builder.Name = $"{tenant.Cell}-{tenant.Id}";
        return Task.FromResult(builder.Build());
    }
}
