namespace TicketAspire.Tenancy.Data;

/// <summary>Limits of the per-reseller connection registries.</summary>
public sealed class ResellerStorageOptions
{
    /// <summary>Connection-string name of the cell's Postgres server (maintenance database).</summary>
    public string PostgresConnectionName { get; set; } = "postgres";

    /// <summary>Pool cap per reseller database, so thousands of resellers cannot exhaust the server.</summary>
    public int MaxPoolSizePerReseller { get; set; } = 32;

    /// <summary>A reseller's data source and Redis connection are closed after this long without use.</summary>
    public TimeSpan IdleEviction { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An evicted connection is disposed this long after eviction, so work that already holds it can finish.</summary>
    public TimeSpan DisposeGrace { get; set; } = TimeSpan.FromMinutes(1);
}
