namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// Rate limits of the public API, bound from the <c>RateLimiting</c> configuration section and validated at start.
/// Every rule is a <see cref="RateLimitRule"/> with <c>PermitLimit</c> and <c>Window</c> keys, e.g.
/// <c>RateLimiting:Customer:PermitLimit=200</c>, <c>RateLimiting:Customer:Window=00:01:00</c> (a key left out keeps
/// its default). Budgets are per reseller: each reseller's counters live in its own Redis.
/// </summary>
/// <remarks>
/// <para>
/// Defaults, sized for an on-sale: integrator 120,000/min (2,000 requests a second per integrator client, more than the
/// holds a cell's API replicas answer, which bench/RESULTS.md measures in the hundreds a second and aims at about 1,000:
/// a reseller's back end selling an on-sale through the API is held back by the API's throughput, not its budget), customer 120/min (writes 30/min), staff
/// 1200/min, anonymous 600/min per IP (writes 60/min). A person's budgets are a person's: an on-sale brings more
/// people, not more requests per person. Writes of customers and anonymous callers spend only their write budget, not
/// the general one. Hold attempts also spend the abuse guard's budgets: 20 per account and 30 per device per 10
/// minutes. The PSP's webhook endpoint has its own budget, 1200 per minute per address; device ids are issued 20 per
/// hour per address.
/// </para>
/// <para>
/// Per reseller: <c>Resellers:&lt;id&gt;:RateLimiting:&lt;Kind&gt;</c> overrides the request budgets
/// (<see cref="ResellerKinds"/>) for the requests of that reseller, on top of this section (the AppHost passes them from
/// the <c>rate_limits</c> of the cell file, docs/deploy.md); every other setting is cell-wide.
/// </para>
/// </remarks>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "RateLimiting";

    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    /// <summary><c>false</c> turns rate limiting off entirely (the middleware is not added).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The request budgets a reseller may set for its own requests (<c>Resellers:&lt;id&gt;:RateLimiting:&lt;Kind&gt;</c>).</summary>
    public static IReadOnlyList<PartitionKind> ResellerKinds { get; } =
    [
        PartitionKind.Integrator, PartitionKind.Customer, PartitionKind.CustomerWrite, PartitionKind.Staff,
        PartitionKind.Anonymous, PartitionKind.AnonymousWrite,
    ];

    /// <summary>
    /// Per integrator client (<c>kind=integrator</c>, keyed by <c>client_id</c>); default 120,000 a minute (2,000 a
    /// second), so the API's own hold throughput is the limit of an integrator's on-sale, not its budget.
    /// </summary>
    public RateLimitRule Integrator { get; set; } = new(120_000, OneMinute);

    /// <summary>Per end user (<c>kind=customer</c>, keyed by <c>sub</c>), reads.</summary>
    public RateLimitRule Customer { get; set; } = new(120, OneMinute);

    /// <summary>Per end user, writes (POST, PUT, PATCH, DELETE).</summary>
    public RateLimitRule CustomerWrite { get; set; } = new(30, OneMinute);

    /// <summary>Per staff member (<c>kind=staff</c>, keyed by <c>sub</c>).</summary>
    public RateLimitRule Staff { get; set; } = new(1200, OneMinute);

    /// <summary>Per client IP address (IPv6 per /64) of requests without a token, reads.</summary>
    public RateLimitRule Anonymous { get; set; } = new(600, OneMinute);

    /// <summary>Per client IP address of requests without a token, writes.</summary>
    public RateLimitRule AnonymousWrite { get; set; } = new(60, OneMinute);

    /// <summary>Hold attempts per account (customer reference) and reseller (default 20 per 10 min).</summary>
    public RateLimitRule HoldsPerAccount { get; set; } = new(20, TimeSpan.FromMinutes(10));

    /// <summary>Hold attempts per device (default 30 per 10 min).</summary>
    public RateLimitRule HoldsPerDevice { get; set; } = new(30, TimeSpan.FromMinutes(10));

    /// <summary>Requests to the PSP's webhook endpoint per client address (default 1200 per minute).</summary>
    public RateLimitRule PspWebhook { get; set; } = new(1200, OneMinute);

    /// <summary>Device ids issued per client address (default 20 per hour).</summary>
    public RateLimitRule DeviceIds { get; set; } = new(20, TimeSpan.FromHours(1));

    /// <summary>
    /// Longest wait for the reseller's Redis to run the script (default 250 ms, a quarter of the client's own timeout);
    /// past it the request is decided by the in-process limiter, so a slow Redis never slows the API down.
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// After a Redis failure or timeout, that reseller's requests are decided in process this long (default 5 s), then
    /// one request tries Redis again.
    /// </summary>
    public TimeSpan RedisRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most one warning per reseller per interval (default 1 min) while its Redis is unusable.</summary>
    public TimeSpan WarningInterval { get; set; } = OneMinute;

    /// <summary>Adds <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> to responses (default on).</summary>
    public bool IncludeHeaders { get; set; } = true;

    /// <summary>The rule of a partition kind.</summary>
    public RateLimitRule RuleFor(PartitionKind kind) => kind switch
    {
        PartitionKind.Integrator => Integrator,
        PartitionKind.Customer => Customer,
        PartitionKind.CustomerWrite => CustomerWrite,
        PartitionKind.Staff => Staff,
        PartitionKind.Anonymous => Anonymous,
        PartitionKind.AnonymousWrite => AnonymousWrite,
        PartitionKind.HoldsPerAccount => HoldsPerAccount,
        PartitionKind.HoldsPerDevice => HoldsPerDevice,
        PartitionKind.PspWebhook => PspWebhook,
        PartitionKind.DeviceIds => DeviceIds,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown partition kind."),
    };
}
