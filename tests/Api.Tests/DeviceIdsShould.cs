using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Api.Infrastructure.Abuse;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>Issued device ids: a made-up X-Device-Id opens no budget, and issuing them is bounded per address.</summary>
public sealed class DeviceIdsShould : IAsyncLifetime, IDisposable
{
    private readonly GarnetServer _garnet = new();
    private readonly DeviceIds _ids = new(Options.Create(new AbuseOptions { DeviceIdKey = "cell-device-key-for-tests" }));
    private readonly HoldVelocity _velocity = new(Options.Create(new RateLimitOptions
    {
        HoldsPerAccount = new RateLimitRule(100, TimeSpan.FromMinutes(10)),
        HoldsPerDevice = new RateLimitRule(5, TimeSpan.FromMinutes(10)),
        DeviceIds = new RateLimitRule(3, TimeSpan.FromHours(1)),
        RedisTimeout = TimeSpan.FromSeconds(2),
    }), new InProcessSlidingWindow(new FakeTimeProvider(DateTimeOffset.UtcNow)), TimeProvider.System, NullLogger.Instance);

    public Task InitializeAsync() => _garnet.InitializeAsync();

    public async Task DisposeAsync() => await _garnet.DisposeAsync();

    public void Dispose()
    {
        _velocity.Dispose();
        _garnet.Dispose();
    }

    [Fact]
    public async Task NotLetARotatingDeviceIdEscapeTheDeviceBudget()
    {
        // a bot that sends a new X-Device-Id with every hold, each for another account: before, each id was a fresh
        // budget of 5; now a made-up id is no device at all and the hold is refused before it spends anything
        var allowed = 0;
        for (var i = 0; i < 20; i++)
        {
            var context = Request(Customer(), "dev-" + Guid.NewGuid().ToString("N"));
            if (HoldGuard.TryGetDevice(context, _ids, "acme", out var device)
                && await _velocity.CheckAsync("acme", _garnet.Redis, $"acct-{i}-{Guid.NewGuid():N}", device) is null)
            {
                allowed++;
            }
        }

        Assert.Equal(0, allowed);
    }

    [Fact]
    public async Task LimitOneIssuedDeviceAcrossAccounts()
    {
        var id = _ids.Issue("acme");
        var decisions = new List<VelocityRefusal?>();
        for (var i = 0; i < 6; i++)
        {
            Assert.True(HoldGuard.TryGetDevice(Request(Customer(), id), _ids, "acme", out var device));
            Assert.Equal("id:" + id, device);
            decisions.Add(await _velocity.CheckAsync("acme", _garnet.Redis, $"acct-{i}-{Guid.NewGuid():N}", device));
        }

        Assert.All(decisions.Take(5), Assert.Null);
        Assert.Equal("device", decisions[5]!.Budget);
    }

    [Fact]
    public void AcceptOnlyIdsIssuedForTheResellerWithTheCellsKey()
    {
        var id = _ids.Issue("acme");
        var otherCell = new DeviceIds(Options.Create(new AbuseOptions { DeviceIdKey = "another-cells-key" }));

        Assert.True(_ids.IsIssued("acme", id));
        Assert.False(_ids.IsIssued("globex", id));
        Assert.False(otherCell.IsIssued("acme", id));
        Assert.False(_ids.IsIssued("acme", id[..^1] + (id[^1] == 'A' ? 'B' : 'A')));
        Assert.False(_ids.IsIssued("acme", "dv1.x.y"));
        Assert.False(HoldGuard.TryGetDevice(Request(Customer(), id, id), _ids, "acme", out _));
    }

    [Fact]
    public void FallBackToTheClientAddressWithoutTheHeader()
    {
        Assert.True(HoldGuard.TryGetDevice(Request(Customer()), _ids, "acme", out var customer));
        Assert.Equal("ip:203.0.113.9", customer);
        Assert.True(HoldGuard.TryGetDevice(Request(Integrator()), _ids, "acme", out var integrator));
        Assert.Null(integrator);
    }

    [Fact]
    public async Task IssueAFewIdsPerClientAddressOnly()
    {
        var address = IPAddress.Parse($"2001:db8:{Random.Shared.Next(1, 0xffff):x}::1");
        var decisions = new List<VelocityRefusal?>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await _velocity.CheckIssueAsync("acme", _garnet.Redis, address));
        }

        Assert.All(decisions.Take(3), Assert.Null);
        Assert.Equal("device_ids", decisions[3]!.Budget);
        // IPv6 counts per /64: another address of the same block shares the budget, another block does not
        var sibling = new IPAddress([.. address.GetAddressBytes()[..8], 0, 0, 0, 0, 0, 0, 0, 9]);
        Assert.NotNull(await _velocity.CheckIssueAsync("acme", _garnet.Redis, sibling));
        Assert.Null(await _velocity.CheckIssueAsync("acme", _garnet.Redis, IPAddress.Parse("198.51.100.77")));
    }

    private static ClaimsPrincipal Customer() => new(new ClaimsIdentity([new Claim("kind", "customer"), new Claim("sub", "u-1")], "Bearer"));

    private static ClaimsPrincipal Integrator() =>
        new(new ClaimsIdentity([new Claim("kind", "integrator"), new Claim("sub", "pos"), new Claim("client_id", "pos")], "Bearer"));

    private static DefaultHttpContext Request(ClaimsPrincipal user, params string[] deviceIds)
    {
        var context = new DefaultHttpContext { User = user };
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        if (deviceIds.Length > 0)
        {
            context.Request.Headers[HoldGuard.DeviceHeader] = deviceIds;
        }

        return context;
    }
}
