using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TicketAspire.Tenancy.Data;

/// <summary>
/// One <see cref="NpgsqlDataSource"/> per reseller database on the cell's Postgres server, created lazily with a capped
/// pool and closed when idle; each logs in as the reseller's own role when its password is configured, with short
/// connect and statement timeouts, and has a <see cref="DatabaseCircuit"/> that fails fast while the server is out of reach.
/// </summary>
public sealed class ResellerDataSources(
    IConfiguration configuration,
    IOptions<ResellerStorageOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IdleRegistry<NpgsqlDataSource>(time, options.Value)
{
    private readonly string _server = configuration.GetConnectionString(options.Value.PostgresConnectionName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{options.Value.PostgresConnectionName} is not configured.");

    private readonly ConcurrentDictionary<string, DatabaseCircuit> _circuits = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The reseller's data source.</summary>
    public ValueTask<NpgsqlDataSource> GetAsync(ResellerTenantInfo tenant) => new(GetOrCreateAsync(tenant));

    /// <summary><c>Retry-After</c> of an answer refused because the database is out of reach.</summary>
    public TimeSpan RetryAfter => options.Value.RetryAfter;

    /// <summary>The fast-failure circuit of the reseller's database (one per reseller, outliving idle data sources).</summary>
    public DatabaseCircuit CircuitFor(ResellerTenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _circuits.GetOrAdd(tenant.Id, static (_, state) => state.Self.NewCircuit(state.Tenant), (Self: this, Tenant: tenant));
    }

    /// <summary>Connection string of a reseller database on the cell server.</summary>
    public string ConnectionStringFor(ResellerTenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var builder = new NpgsqlConnectionStringBuilder(_server)
        {
            Database = tenant.DatabaseName,
            MaxPoolSize = options.Value.MaxPoolSizePerReseller,
            ApplicationName = $"ticketaspire-{tenant.Cell}-{tenant.Id}",
            Timeout = ResellerStorageOptions.Seconds(options.Value.ConnectTimeout),
            CommandTimeout = ResellerStorageOptions.Seconds(options.Value.CommandTimeout),
            // the hot statements (the seat claim above all) are planned once per connection, not once per call
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            // no code changes session state (no SET, temp tables or session advisory locks on these connections), so the
            // DISCARD ALL Npgsql would prepend on every reuse is pure cost; it would also drop the prepared statements
            NoResetOnClose = true,
        };
        if (PasswordOf(tenant) is { Length: > 0 } password)
        {
            // the reseller's own login role: it can open its database and no other
            builder.Username = LoginRoleFor(tenant);
            builder.Password = password;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The password of the reseller's login role: configured (a reseller of the cell file), else derived from the cell's
    /// onboarding key (a reseller onboarded at run time), else none.
    /// </summary>
    private string? PasswordOf(ResellerTenantInfo tenant)
    {
        if (options.Value.Passwords.TryGetValue(tenant.Id, out var password) && password.Length > 0)
        {
            return password;
        }

        return tenant.Onboarded && options.Value.OnboardingKey.Length > 0
            ? ResellerSecrets.DatabasePassword(options.Value.OnboardingKey, LoginRoleFor(tenant))
            : null;
    }

    /// <summary>The login role of a reseller's database: named like the database.</summary>
    public static string LoginRoleFor(ResellerTenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant.DatabaseName;
    }

    /// <inheritdoc />
    protected override Task<NpgsqlDataSource> CreateAsync(ResellerTenantInfo tenant)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionStringFor(tenant));
        builder.UseLoggerFactory(loggerFactory);
        builder.Name = $"{tenant.Cell}-{tenant.Id}";
        return Task.FromResult(builder.Build());
    }

    /// <inheritdoc />
    protected override async ValueTask OnDisposeAsync()
    {
        // cancelled, not disposed: a probe that is just starting still reads its token
        await _stopping.CancelAsync();
    }

    private DatabaseCircuit NewCircuit(ResellerTenantInfo tenant)
    {
        // the probe has its own connection outside the pool: a pool full of broken connections cannot hide the answer
        var probe = new NpgsqlConnectionStringBuilder(ConnectionStringFor(tenant)) { Pooling = false }.ConnectionString;
        return new DatabaseCircuit(
            tenant.DatabaseName,
            async ct =>
            {
                await using var conn = new NpgsqlConnection(probe);
                await conn.OpenAsync(ct);
                await using var cmd = new NpgsqlCommand("SELECT 1", conn);
                await cmd.ExecuteScalarAsync(ct);
            },
            // idle pooled connections of before the outage are dead: drop them before requests come back
            () => Peek(tenant.Id)?.Clear(),
            options.Value.ProbeInterval,
            Time,
            loggerFactory.CreateLogger<DatabaseCircuit>(),
            _stopping.Token);
    }
}
