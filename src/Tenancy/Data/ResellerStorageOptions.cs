namespace TicketAspire.Tenancy.Data;

/// <summary>Limits of the per-reseller connection registries, timeouts, and each reseller database's credentials.</summary>
public sealed class ResellerStorageOptions
{
    /// <summary>
    /// Connection-string name of the cell's Postgres server. In a cell it names the catalog database and logs in as the
    /// catalog's own role; reseller databases are opened with the server and port of this string and each reseller's role.
    /// </summary>
    public string PostgresConnectionName { get; set; } = "postgres";

    /// <summary>Pool cap per reseller database, so thousands of resellers cannot exhaust the server.</summary>
    public int MaxPoolSizePerReseller { get; set; } = 32;

    /// <summary>A reseller's data source and Redis connection are closed after this long without use.</summary>
    public TimeSpan IdleEviction { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An evicted connection is disposed this long after eviction, so work that already holds it can finish.</summary>
    public TimeSpan DisposeGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Longest wait for a connection (a new one to the server, or a free one of the pool): Npgsql's <c>Timeout</c>, in
    /// whole seconds (at least 1). Past it the request is answered <c>503 database_unavailable</c>. It bounds the wait for a
    /// free pooled connection too, so it must cover a burst queueing behind the pool (one customer's 50 parallel holds, an
    /// on-sale's 1,000 buyers); a server that is refused or breaks is answered at once by the circuit, not after this wait.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for one statement's answer (Npgsql's <c>Command Timeout</c>, whole seconds, at least 1).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>While a reseller's database is known unreachable, how often one probe connection tries it again.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary><c>Retry-After</c> of a <c>503 database_unavailable</c> answer.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The password of each reseller's own login role (<c>reseller_&lt;id&gt;</c>, by reseller id). A reseller without one
    /// is opened with the credentials of the server connection string (tests, a single-user development server).
    /// </summary>
    public Dictionary<string, string> Passwords { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The cell's onboarding key (Aspire parameter <c>&lt;cell&gt;-onboarding-key</c>): the database password of a reseller
    /// onboarded at run time is derived from it (<see cref="ResellerSecrets.DatabasePassword"/>) when
    /// <see cref="Passwords"/> has none. Empty: onboarded resellers are opened with the server string's credentials.
    /// </summary>
    public string OnboardingKey { get; set; } = "";

    /// <summary>True when the values can work.</summary>
    public bool IsValid() =>
        MaxPoolSizePerReseller is > 0 and <= 1000 && ConnectTimeout >= TimeSpan.FromSeconds(1) && CommandTimeout >= TimeSpan.FromSeconds(1)
        && ProbeInterval > TimeSpan.Zero && RetryAfter >= TimeSpan.FromSeconds(1);

    /// <summary>Whole seconds for Npgsql, rounded up.</summary>
    internal static int Seconds(TimeSpan value) => (int)Math.Max(1, Math.Ceiling(value.TotalSeconds));
}
