using Microsoft.Extensions.Logging;
using Npgsql;
using TicketAspire.Tenancy.Catalog;

namespace TicketAspire.Tenancy.Rules;

/// <summary>
/// The resellers' rule overrides in the cell's catalog database (<c>reseller_rules</c>), read whole and kept for
/// <see cref="CacheFor"/>: a change made on one replica applies there at once and on the others within that time, with no
/// restart. Concurrent readers share one query; if the catalog cannot be read, the last snapshot is kept.
/// </summary>
public sealed partial class CatalogRuleOverrides(CatalogDataSource catalog, TimeProvider time, ILogger<CatalogRuleOverrides> logger) : IRuleOverrideSource
{
    /// <summary>How long a snapshot of the overrides is used before it is read again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private Snapshot? _snapshot;
    private Task<Snapshot>? _reading;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, RuleOverride>> GetAllAsync(CancellationToken ct)
    {
        var current = _snapshot;
        if (current is not null && time.GetUtcNow() - current.ReadAt < CacheFor)
        {
            return current.Overrides;
        }

        Task<Snapshot> reading;
        lock (_lock)
        {
            reading = _reading ??= ReadAsync();
        }

        try
        {
            return (await reading.WaitAsync(ct)).Overrides;
        }
        catch (Exception ex) when (current is not null && ex is NpgsqlException or TimeoutException)
        {
            LogStale(logger, ex.Message);
            return current.Overrides;
        }
    }

    /// <summary>Sets (or, for an empty override, removes) <paramref name="resellerId"/>'s override.</summary>
    public async Task SetAsync(string resellerId, RuleOverride rules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rules);
        await using var cmd = rules.IsEmpty
            ? catalog.DataSource.CreateCommand("DELETE FROM reseller_rules WHERE reseller_id = $1")
            : catalog.DataSource.CreateCommand("""
                INSERT INTO reseller_rules (reseller_id, guest_checkout, resale_allowed, resale_price_cap_percent, dynamic_pricing_allowed, transfers_allowed)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (reseller_id) DO UPDATE SET guest_checkout = excluded.guest_checkout, resale_allowed = excluded.resale_allowed,
                    resale_price_cap_percent = excluded.resale_price_cap_percent, dynamic_pricing_allowed = excluded.dynamic_pricing_allowed,
                    transfers_allowed = excluded.transfers_allowed,
                    updated_at = now()
                """);
        cmd.Parameters.Add(new() { Value = resellerId });
        if (!rules.IsEmpty)
        {
            cmd.Parameters.Add(new() { Value = (object?)rules.GuestCheckout ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
            cmd.Parameters.Add(new() { Value = (object?)rules.ResaleAllowed ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
            cmd.Parameters.Add(new() { Value = (object?)rules.ResalePriceCapPercent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            cmd.Parameters.Add(new() { Value = (object?)rules.DynamicPricingAllowed ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
            cmd.Parameters.Add(new() { Value = (object?)rules.TransfersAllowed ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
        }

        await cmd.ExecuteNonQueryAsync(ct);
        _snapshot = null; // this replica applies the change at once
    }

    private async Task<Snapshot> ReadAsync()
    {
        await Task.Yield();
        try
        {
            var overrides = new Dictionary<string, RuleOverride>(StringComparer.Ordinal);
            await using var cmd = catalog.DataSource.CreateCommand(
                "SELECT reseller_id, guest_checkout, resale_allowed, resale_price_cap_percent, dynamic_pricing_allowed, transfers_allowed FROM reseller_rules");
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                overrides[reader.GetString(0)] = new RuleOverride(
                    reader.IsDBNull(1) ? null : reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetBoolean(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetBoolean(4),
                    reader.IsDBNull(5) ? null : reader.GetBoolean(5));
            }

            var snapshot = new Snapshot(overrides, time.GetUtcNow());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            lock (_lock)
            {
                _reading = null;
            }
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, RuleOverride> Overrides, DateTimeOffset ReadAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reseller rule overrides not readable, keeping the last snapshot: {Error}")]
    private static partial void LogStale(ILogger logger, string error);
}
