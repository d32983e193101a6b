using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Api.Infrastructure.Abuse;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>The hold velocity budgets, in a real Garnet and in process.</summary>
public sealed class HoldVelocityShould : IAsyncLifetime, IDisposable
{
    private readonly GarnetServer _garnet = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HoldVelocity _velocity;

    public HoldVelocityShould() => _velocity = new HoldVelocity(Options.Create(new RateLimitOptions
    {
        HoldsPerAccount = new RateLimitRule(3, TimeSpan.FromMinutes(1)),
        HoldsPerDevice = new RateLimitRule(5, TimeSpan.FromMinutes(1)),
        RedisTimeout = TimeSpan.FromSeconds(2),
    }), new InProcessSlidingWindow(_time), TimeProvider.System, NullLogger.Instance);

    public Task InitializeAsync() => _garnet.InitializeAsync();

    public async Task DisposeAsync() => await _garnet.DisposeAsync();

    public void Dispose()
    {
        _velocity.Dispose();
        _garnet.Dispose();
    }

    [Fact]
    public async Task RefuseAnAccountPastItsBudgetInRedis()
    {
        var account = "acct-" + Guid.NewGuid().ToString("N");
        var decisions = new List<VelocityRefusal?>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await _velocity.CheckAsync("acme", _garnet.Redis, account, null));
        }

        Assert.All(decisions.Take(3), Assert.Null);
        var refused = Assert.IsType<VelocityRefusal>(decisions[3]);
        Assert.Equal("account", refused.Budget);
        Assert.InRange(refused.RetryAfterSeconds, 1, 120);
        Assert.True(await _garnet.Redis.GetDatabase().KeyExistsAsync(await AnyKeyAsync("ta:rl:holds:account:" + account)));
        Assert.Null(await _velocity.CheckAsync("acme", _garnet.Redis, "other-" + account, null));
    }

    [Fact]
    public async Task RefuseADeviceAcrossAccounts()
    {
        var device = "id:" + Guid.NewGuid().ToString("N");
        var decisions = new List<VelocityRefusal?>();
        for (var i = 0; i < 6; i++)
        {
            decisions.Add(await _velocity.CheckAsync("acme", _garnet.Redis, $"acct-{i}-{device}", device));
        }

        Assert.All(decisions.Take(5), Assert.Null);
        Assert.Equal("device", decisions[5]!.Budget);
    }

    [Fact]
    public async Task DecideInProcessWithoutRedis()
    {
        var account = "acct-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await _velocity.CheckAsync("acme", null, account, null));
        }

        Assert.NotNull(await _velocity.CheckAsync("acme", null, account, null));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await _velocity.CheckAsync("acme", null, account, null));
    }

    private async Task<StackExchange.Redis.RedisKey> AnyKeyAsync(string prefix)
    {
        var server = _garnet.Redis.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: prefix + ":*"))
        {
            return key;
        }

        return prefix;
    }
}
