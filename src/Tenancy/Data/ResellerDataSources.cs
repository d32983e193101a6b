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
            // the hot statements (the seat claim above all) are planned once per connection, not once per call
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            // no code changes session state (no SET, temp tables or session advisory locks on these connections), so the
            // DISCARD ALL Npgsql would prepend on every reuse is pure cost; it would also drop the prepared statements
            NoResetOnClose = true,
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
