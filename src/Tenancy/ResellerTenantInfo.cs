namespace TicketAspire.Tenancy;

/// <summary>
/// A reseller of one jurisdiction cell, with the names of the storage that belongs to it alone:
/// its PostgreSQL database on the cell's server and its own Redis-protocol server.
/// </summary>
/// <param name="Id">Reseller id, unique in the cell (e.g. <c>acme</c>).</param>
/// <param name="Name">Display name.</param>
/// <param name="Cell">Jurisdiction cell id (e.g. <c>eu</c>).</param>
/// <param name="DatabaseName">The reseller's database on the cell's Postgres server.</param>
/// <param name="RedisConnectionName">Connection string name of the reseller's Redis (<c>ConnectionStrings:{name}</c>).</param>
/// <param name="Hosts">Host names that resolve to this reseller (public browsing, hosted storefronts).</param>
public sealed record ResellerTenantInfo(
    string Id,
    string Name,
    string Cell,
    string DatabaseName,
    string RedisConnectionName,
    IReadOnlyList<string> Hosts) : TenantInfo(Id, Id)
{
    /// <summary>
    /// True for a reseller onboarded at run time (operator API) rather than listed in the cell file: its database password
    /// is derived from the cell's onboarding key (<see cref="Data.ResellerSecrets"/>) and its Redis endpoint comes from the
    /// catalog (<see cref="RedisEndpoint"/>), since the services were started before it existed.
    /// </summary>
    public bool Onboarded { get; init; }

    /// <summary>
    /// <c>host:port</c> of the reseller's own Redis-protocol server as the catalog records it (onboarded resellers); null
    /// when it comes from configuration (<c>ConnectionStrings:{RedisConnectionName}</c>).
    /// </summary>
    public string? RedisEndpoint { get; init; }

    /// <summary>Database name used for a reseller id.</summary>
    public static string DatabaseNameFor(string resellerId) => "reseller_" + resellerId.Replace('-', '_');

    /// <summary>Redis connection-string name used for a reseller id.</summary>
    public static string RedisConnectionNameFor(string resellerId) => "redis-" + resellerId;
}
