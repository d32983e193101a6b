using System.Threading.RateLimiting;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// The answer of <see cref="ApiRateLimiter"/> for one request: admitted or rejected, with the numbers behind the
/// <c>Retry-After</c> and <c>RateLimit-*</c> headers. Nothing to release on dispose: a permit is spent, not held.
/// </summary>
internal sealed class ApiRateLimitLease : RateLimitLease
{
    private static readonly string[] RetryAfterOnly = [MetadataName.RetryAfter.Name];

    private ApiRateLimitLease(bool acquired, WindowPolicy? policy, RateLimitDecision decision)
    {
        IsAcquired = acquired;
        Policy = policy;
        Decision = decision;
    }

    /// <summary>Admits a request that is not limited (health probes, disabled endpoints); shared.</summary>
    public static ApiRateLimitLease Unlimited { get; } = new(true, null, default);

    /// <summary>
    /// The synchronous answer when the decision needs Redis: not acquired, no metadata. The rate limiting middleware
    /// then asks again with <c>AcquireAsync</c>, which decides.
    /// </summary>
    public static ApiRateLimitLease Pending { get; } = new(false, null, default);

    /// <inheritdoc />
    public override bool IsAcquired { get; }

    /// <summary>The rule that decided, or null for <see cref="Unlimited"/> and <see cref="Pending"/>.</summary>
    public WindowPolicy? Policy { get; }

    /// <summary>The numbers of the decision.</summary>
    public RateLimitDecision Decision { get; }

    /// <inheritdoc />
    public override IEnumerable<string> MetadataNames => Policy is not null && !IsAcquired ? RetryAfterOnly : [];

    /// <summary>A decided lease.</summary>
    public static ApiRateLimitLease For(WindowPolicy policy, RateLimitDecision decision) => new(decision.Allowed, policy, decision);

    /// <inheritdoc />
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (Policy is not null && !IsAcquired && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = TimeSpan.FromSeconds(RateLimitDecision.ToSeconds(Decision.RetryAfterMillis));
            return true;
        }

        metadata = null;
        return false;
    }
}
