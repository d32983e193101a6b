using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// The API's global limiter: one sliding window budget per partition (<see cref="ApiPartitioner"/>), kept in the resolved
/// reseller's Redis so every API replica spends the same budget. Redis is never needed for correctness: without a
/// reseller, while its Redis is down, disconnected or slower than <see cref="RateLimitOptions.RedisTimeout"/>, the
/// same rules are applied by <see cref="InProcessSlidingWindow"/> (per replica) and the request goes on. The rules are
/// the resolved reseller's (its own budgets from <c>Resellers:&lt;id&gt;:RateLimiting</c> over the cell's), or the cell's
/// for requests without a reseller.
/// </summary>
internal sealed class ApiRateLimiter : PartitionedRateLimiter<HttpContext>
{
    private readonly RateLimitOptions _options;
    private readonly WindowPolicy[] _policies;
    private readonly MultiTenantOptionsCache<RateLimitOptions, ResellerTenantInfo> _resellerOptions;
    private readonly ConcurrentDictionary<string, WindowPolicy[]> _resellerPolicies = new(StringComparer.Ordinal);
    private readonly ResellerRedisConnections _connections;
    private readonly InProcessSlidingWindow _local;
    private readonly RedisFallbackGate _gate;
    private readonly TimeProvider _time;

    public ApiRateLimiter(
        IOptions<RateLimitOptions> options,
        MultiTenantOptionsCache<RateLimitOptions, ResellerTenantInfo> resellerOptions,
        ResellerRedisConnections connections,
        InProcessSlidingWindow local,
        TimeProvider time,
        ILogger<ApiRateLimiter> logger)
    {
        _options = options.Value;
        _policies = Policies(_options);
        _resellerOptions = resellerOptions;
        _connections = connections;
        _local = local;
        _time = time;
        _gate = new RedisFallbackGate(time, _options, logger);
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>
    /// Admits unlimited requests; for the rest the decision needs a Redis round trip, so this answers
    /// <see cref="ApiRateLimitLease.Pending"/> (not acquired) and the middleware calls <c>AcquireAsync</c>.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        IsUnlimited(resource, permitCount) ? ApiRateLimitLease.Unlimited : ApiRateLimitLease.Pending;

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (IsUnlimited(resource, permitCount))
        {
            return ValueTask.FromResult<RateLimitLease>(ApiRateLimitLease.Unlimited);
        }

        var partition = ApiPartitioner.Resolve(resource);
        var tenant = resource.RequestServices.GetRequiredService<IMultiTenantContextAccessor<ResellerTenantInfo>>().MultiTenantContext;
        if (tenant.TenantInfo is not { } reseller)
        {
            return ValueTask.FromResult<RateLimitLease>(Local(resource, "", partition, _policies[(int)partition.Kind], permitCount));
        }

        var policy = PoliciesOf(reseller)[(int)partition.Kind];

        if (!_gate.ShouldTry(reseller.Id))
        {
            return ValueTask.FromResult<RateLimitLease>(Local(resource, reseller.Id, partition, policy, permitCount));
        }

        return FromRedisAsync(resource, reseller, partition, policy, permitCount);
    }

    /// <summary>The rules of <paramref name="reseller"/>'s requests, built once per reseller.</summary>
    private WindowPolicy[] PoliciesOf(ResellerTenantInfo reseller) =>
        _resellerPolicies.GetOrAdd(reseller.Id, static (_, state) => Policies(state.Cache.Get(state.Reseller)), (Cache: _resellerOptions, Reseller: reseller));

    private static WindowPolicy[] Policies(RateLimitOptions options) =>
        [.. Enum.GetValues<PartitionKind>().Order().Select(kind => new WindowPolicy(kind, options.RuleFor(kind)))];

    private bool IsUnlimited(HttpContext resource, int permitCount) =>
        !_options.Enabled || permitCount == 0 || ApiPartitioner.IsExempt(resource);

    private async ValueTask<RateLimitLease> FromRedisAsync(
        HttpContext context, ResellerTenantInfo reseller, ApiPartition partition, WindowPolicy policy, int cost)
    {
        Task<RateLimitDecision>? evaluation = null;
        try
        {
            // the reseller's connection is made once per process, usually already by the storage middleware; only that
            // first request waits for it (at most the registry's connect timeout, even when Redis is down)
            var redis = await _connections.GetAsync(reseller);
            if (!redis.IsConnected)
            {
                _gate.Failed(reseller.Id, "its Redis is not connected", null);
                return Local(context, reseller.Id, partition, policy, cost);
            }

            evaluation = RedisSlidingWindow.EvaluateAsync(redis.GetDatabase(), partition.Key, policy, cost);
            var decision = await evaluation.WaitAsync(_options.RedisTimeout, _time);
            _gate.Succeeded(reseller.Id);
            return Decided(context, policy, decision);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // whatever went wrong with Redis (down, slow, disposed, misconfigured), the request is still decided here
            if (evaluation is { IsCompleted: false })
            {
                _ = evaluation.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            _gate.Failed(reseller.Id, ex is TimeoutException ? $"no answer within {_options.RedisTimeout.TotalMilliseconds} ms" : ex.Message, ex);
            return Local(context, reseller.Id, partition, policy, cost);
        }
    }

    private ApiRateLimitLease Local(HttpContext context, string reseller, ApiPartition partition, WindowPolicy policy, int cost) =>
        Decided(context, policy, _local.Acquire(reseller, partition.Key, policy, cost));

    private ApiRateLimitLease Decided(HttpContext context, WindowPolicy policy, RateLimitDecision decision)
    {
        var lease = ApiRateLimitLease.For(policy, decision);
        if (_options.IncludeHeaders)
        {
            RateLimitHeaders.Write(context.Response, lease);
        }

        return lease;
    }
}
