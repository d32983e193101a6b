namespace TicketAspire.Tenancy.Stores;

/// <summary>Where tenants are looked up.</summary>
public interface IMultiTenantStore<T> where T : class, ITenantInfo
{
    /// <summary>The tenant with this identifier, or null.</summary>
    Task<T?> GetByIdentifierAsync(string identifier);

    /// <summary>The tenant with this id, or null.</summary>
    Task<T?> GetAsync(string id);

    /// <summary>Every tenant of the store.</summary>
    Task<IReadOnlyList<T>> GetAllAsync();
}

/// <summary>Maps a host name to a tenant identifier.</summary>
public interface ITenantHostLookup
{
    /// <summary>The identifier of the tenant that owns <paramref name="normalizedHost"/>, or null.</summary>
    string? GetIdentifierByHost(string normalizedHost);
}
