using System.Collections.Frozen;

namespace TicketAspire.Tenancy.Stores;

/// <summary>
/// An in-memory, swap-on-refresh store of resellers indexed by id and by host. Lookups never touch storage, so unknown
/// hosts cost nothing and cannot be used to load the catalog database.
/// </summary>
public class SnapshotStore : IMultiTenantStore<ResellerTenantInfo>, ITenantHostLookup
{
    private Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Creates a store holding <paramref name="resellers"/>.</summary>
    public SnapshotStore(IEnumerable<ResellerTenantInfo>? resellers = null)
    {
        if (resellers is not null)
        {
            Replace(resellers);
        }
    }

    /// <summary>Replaces the whole content atomically.</summary>
    public void Replace(IEnumerable<ResellerTenantInfo> resellers)
    {
        ArgumentNullException.ThrowIfNull(resellers);
        var list = resellers.ToList();
        var byId = list.ToFrozenDictionary(r => r.Id, StringComparer.Ordinal);
        var byHost = list
            .SelectMany(r => r.Hosts.Select(h => (Host: Strategies.HostStrategy.NormalizeHost(h), r.Id)))
            .ToFrozenDictionary(x => x.Host, x => x.Id, StringComparer.Ordinal);
        Volatile.Write(ref _snapshot, new Snapshot(list, byId, byHost));
    }

    /// <inheritdoc />
    public Task<ResellerTenantInfo?> GetByIdentifierAsync(string identifier) => Task.FromResult(Find(identifier));

    /// <summary>The reseller with <paramref name="identifier"/>, from memory.</summary>
    public ResellerTenantInfo? Find(string identifier) => Volatile.Read(ref _snapshot).ById.GetValueOrDefault(identifier);

    /// <inheritdoc />
    public Task<ResellerTenantInfo?> GetAsync(string id) => GetByIdentifierAsync(id);

    /// <inheritdoc />
    public Task<IReadOnlyList<ResellerTenantInfo>> GetAllAsync() =>
        Task.FromResult<IReadOnlyList<ResellerTenantInfo>>(Volatile.Read(ref _snapshot).All);

    /// <inheritdoc />
    public string? GetIdentifierByHost(string normalizedHost) =>
        Volatile.Read(ref _snapshot).ByHost.GetValueOrDefault(normalizedHost);

    private sealed record Snapshot(
        IReadOnlyList<ResellerTenantInfo> All,
        FrozenDictionary<string, ResellerTenantInfo> ById,
        FrozenDictionary<string, string> ByHost)
    {
        public static readonly Snapshot Empty = new([], FrozenDictionary<string, ResellerTenantInfo>.Empty, FrozenDictionary<string, string>.Empty);
    }
}
