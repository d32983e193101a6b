using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TicketAspire.Api.Infrastructure.RateLimiting;

namespace TicketAspire.Api.Infrastructure.Abuse;

/// <summary>
/// Velocity limits on hold attempts per account and per device: the rate limiter's sliding windows (the same Lua script
/// in the reseller's Redis, the same in-process fallback while Redis is unusable), with their own rules and keys
/// (<c>ta:rl:holds:account:{customer_ref}</c>, <c>ta:rl:holds:device:{device}</c>), and the issuance of device ids per
/// client address (<c>ta:rl:holds:issued:ip:{address}</c>).
/// </summary>
public sealed class HoldVelocity : IDisposable
{
    private readonly WindowPolicy _account;
    private readonly WindowPolicy _device;
    private readonly WindowPolicy _issued;
    private readonly InProcessSlidingWindow _local;
    private readonly RedisFallbackGate _gate;
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the limiter from the rate-limit rules.</summary>
    public HoldVelocity(IOptions<RateLimitOptions> options, TimeProvider time, ILogger<HoldVelocity> logger)
        : this(options, new InProcessSlidingWindow(time), time, logger)
    {
    }

    internal HoldVelocity(IOptions<RateLimitOptions> options, InProcessSlidingWindow local, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _account = new WindowPolicy(PartitionKind.HoldsPerAccount, _options.HoldsPerAccount);
        _device = new WindowPolicy(PartitionKind.HoldsPerDevice, _options.HoldsPerDevice);
        _issued = new WindowPolicy(PartitionKind.DeviceIds, _options.DeviceIds);
        _local = local;
        _time = time;
        _gate = new RedisFallbackGate(time, _options, logger);
    }

    /// <inheritdoc />
    public void Dispose() => _local.Dispose();

    /// <summary>Key prefix of the velocity windows.</summary>
    public const string KeyPrefix = RateLimiting.ApiPartitioner.KeyPrefix + "holds:";

    /// <summary>
    /// Spends one hold attempt of <paramref name="account"/> and, if known, of <paramref name="device"/>; null when both
    /// budgets allow it. <paramref name="redis"/> null (or unusable) decides in process.
    /// </summary>
    public async Task<VelocityRefusal?> CheckAsync(string reseller, IConnectionMultiplexer? redis, string account, string? device)
    {
        var byAccount = await DecideAsync(reseller, redis, KeyPrefix + "account:" + account, _account);
        if (!byAccount.Allowed)
        {
            return new VelocityRefusal("account", _account.Limit, _account.Window, RateLimitDecision.ToSeconds(byAccount.RetryAfterMillis));
        }

        if (device is null)
        {
            return null;
        }

        var byDevice = await DecideAsync(reseller, redis, KeyPrefix + "device:" + device, _device);
        return byDevice.Allowed ? null : new VelocityRefusal("device", _device.Limit, _device.Window, RateLimitDecision.ToSeconds(byDevice.RetryAfterMillis));
    }

    /// <summary>
    /// Spends one device id issuance of <paramref name="address"/> (IPv6 per /64); null when the budget allows it.
    /// </summary>
    public async Task<VelocityRefusal?> CheckIssueAsync(string reseller, IConnectionMultiplexer? redis, System.Net.IPAddress? address)
    {
        var decision = await DecideAsync(reseller, redis, ApiPartitioner.IpKey(KeyPrefix + "issued:ip:", address), _issued);
        return decision.Allowed ? null : new VelocityRefusal("device_ids", _issued.Limit, _issued.Window, RateLimitDecision.ToSeconds(decision.RetryAfterMillis));
    }

    private async Task<RateLimitDecision> DecideAsync(string reseller, IConnectionMultiplexer? redis, string key, WindowPolicy policy)
    {
        if (redis is null || !redis.IsConnected || !_gate.ShouldTry(reseller))
        {
            return _local.Acquire(reseller, key, policy, 1);
        }

        try
        {
            var decision = await RedisSlidingWindow.EvaluateAsync(redis.GetDatabase(), key, policy, 1).WaitAsync(_options.RedisTimeout, _time);
            _gate.Succeeded(reseller);
            return decision;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _gate.Failed(reseller, ex is TimeoutException ? $"no answer within {_options.RedisTimeout.TotalMilliseconds} ms" : ex.Message, ex);
            return _local.Acquire(reseller, key, policy, 1);
        }
    }
}
