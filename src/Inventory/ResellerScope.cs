using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Inventory;

/// <summary>
/// The reseller one unit of work runs for (a request in the API, one reseller's share of a pass in the worker): its
/// database, its Redis as a cache and its settings. Scoped; the host opens it once the reseller is known, and every core
/// service of the scope works on it. Using it unopened throws: there is no default reseller.
/// </summary>
public sealed class ResellerScope(ILoggerFactory loggers)
{
    private Opened? _opened;

    /// <summary>True once <see cref="Open"/> ran.</summary>
    public bool IsOpen => _opened is not null;

    /// <summary>The reseller's id.</summary>
    public string ResellerId => Current.ResellerId;

    /// <summary>The reseller's database.</summary>
    public NpgsqlDataSource Db => Current.Db;

    /// <summary>The reseller's Redis as a cache (never needed for correctness).</summary>
    public InventoryCache Cache => Current.Cache;

    /// <summary>The reseller's hold limits.</summary>
    public HoldOptions Holds => Current.Holds;

    /// <summary>The reseller's fees.</summary>
    public FeePlan Fees => Current.Fees;

    /// <summary>Opens the scope for one reseller; once per scope.</summary>
    public void Open(string resellerId, NpgsqlDataSource db, IConnectionMultiplexer? redis, HoldOptions holds, FeePlan fees)
    {
        ArgumentException.ThrowIfNullOrEmpty(resellerId);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(holds);
        ArgumentNullException.ThrowIfNull(fees);
        if (_opened is not null)
        {
            throw new InvalidOperationException($"This scope is already open for reseller '{_opened.ResellerId}'.");
        }

        _opened = new Opened(resellerId, db, new InventoryCache(redis, loggers.CreateLogger<InventoryCache>()), holds, fees);
    }

    private Opened Current => _opened ?? throw new InvalidOperationException("No reseller scope is open: no reseller was resolved for this work.");

    private sealed record Opened(string ResellerId, NpgsqlDataSource Db, InventoryCache Cache, HoldOptions Holds, FeePlan Fees);
}
