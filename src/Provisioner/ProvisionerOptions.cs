namespace TicketAspire.Provisioner;

/// <summary>Settings of the provisioner (section <c>Provisioner</c>; the AppHost sets them).</summary>
public sealed class ProvisionerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Provisioner";

    /// <summary>Which Redis-protocol server a reseller gets: <c>garnet</c> (default) or <c>redis-server</c>, as the cell file says.</summary>
    public string RedisKind { get; set; } = "garnet";

    /// <summary>The built GarnetHost assembly (<c>dotnet &lt;it&gt;</c> starts one server).</summary>
    public string GarnetHostAssembly { get; set; } = "";

    /// <summary>Where offboarding exports go (one <c>pg_dump</c> file and one catalog JSON per reseller).</summary>
    public string ExportDirectory { get; set; } = "";

    /// <summary><c>pg_dump</c> to use; empty: found on PATH or under <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string PgDump { get; set; } = "";

    /// <summary>The cell's API (internal URL): an onboarding ends once it serves the new reseller's host.</summary>
    public string ApiUrl { get; set; } = "";

    /// <summary>The cell's identity service (internal URL): an onboarding ends once it issues tokens for the new reseller.</summary>
    public string IdentityUrl { get; set; } = "";

    /// <summary>
    /// The identity service's public origin (its issuers' base, <c>IssuerOptions:PublicOrigin</c>): the link of a new
    /// reseller's console invitation points there.
    /// </summary>
    public string IdentityPublicOrigin { get; set; } = "";

    /// <summary>
    /// The port a browser reaches the cell's storefronts at (the cell router's, locally 5000), or 0: a new reseller's
    /// storefront and console accept sign-in callbacks at <c>http://&lt;host&gt;:&lt;port&gt;/…</c> as well as on port 80,
    /// unless its application lists its own redirect URIs.
    /// </summary>
    public int StorefrontPort { get; set; }

    /// <summary>How often the catalog is polled for new jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long an offboarding waits after taking the reseller out of the catalog before it exports and drops: longer than
    /// the services' catalog check (2 s), so no request still resolves the reseller when its data is read.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new reseller's Redis server may take to answer PING.</summary>
    public TimeSpan RedisStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the API may take to serve a new reseller before the onboarding fails.</summary>
    public TimeSpan ServingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of a job before it is marked failed (every step can be repeated).</summary>
    public int MaxAttempts { get; set; } = 3;
}
