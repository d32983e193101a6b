using System.Diagnostics;
using System.Net;
using TicketAspire.Api.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>Redis is never needed for correctness: without it the same limits apply in-process and requests go on.</summary>
public sealed class RateLimitingFallbackShould
{
    private static Dictionary<string, string?> Settings(string redisEndpoint)
    {
        var settings = RateLimitedApi.Settings(redisEndpoint);
        settings["RateLimiting:Customer:PermitLimit"] = "5";
        settings["RateLimiting:Customer:Window"] = "1.00:00:00";
        return settings;
    }

    [Fact]
    public async Task KeepLimitingInProcessWhenRedisIsUnreachable()
    {
        await using var api = await RateLimitedApi.StartAsync(Settings($"127.0.0.1:{FreePort.Next()}"));
        var alice = Caller.NewCustomer();
        var bob = Caller.NewCustomer();

        var aliceCodes = await api.SendManyAsync(8, alice);
        var bobCodes = await api.SendManyAsync(2, bob);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], aliceCodes);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], bobCodes);
        Assert.Single(api.Logs.RateLimiterWarnings, w => w.Contains("reseller acme", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeepServingAndLimitingWhenRedisStopsMidway()
    {
        var garnet = new GarnetServer();
        await garnet.InitializeAsync();
        await using var api = await RateLimitedApi.StartAsync(Settings($"127.0.0.1:{garnet.Port}"));
        var alice = Caller.NewCustomer();
        var beforeStop = await api.SendManyAsync(2, alice);
        Assert.Single(await SlidingWindowScriptShould.CountersAsync(garnet.Redis, "ta:rl:user:" + alice.Sub));

        await garnet.DisposeAsync();
        garnet.Dispose();
        var afterStop = await api.SendManyAsync(8, alice);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], beforeStop);
        // the in-process fallback starts from its own (full) budget: 5 more, then 429, and never a 500
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], afterStop);
        Assert.Single(api.Logs.RateLimiterWarnings, w => w.Contains("reseller acme", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotWaitForARedisThatStopsAnswering()
    {
        var garnet = new GarnetServer();
        await garnet.InitializeAsync();
        try
        {
            await using var proxy = new StallingProxy(garnet.Port);
            proxy.Start();
            var settings = Settings(proxy.Endpoint);
            settings["RateLimiting:RedisTimeout"] = "00:00:00.100";
            await using var api = await RateLimitedApi.StartAsync(settings);
            // the connection and the script's first load take longer than the 100 ms timeout on a busy machine: another
            // caller's requests warm them up until one of its counters shows up in Redis
            var warm = Caller.NewCustomer();
            for (var i = 0; i < 40 && (await SlidingWindowScriptShould.CountersAsync(garnet.Redis, "ta:rl:user:" + warm.Sub)).Count == 0; i++)
            {
                using var warming = await api.SendAsync(warm);
                await Task.Delay(TimeSpan.FromMilliseconds(200));   // past a timeout, Redis is tried again after RedisRetryDelay (5 s)
            }

            var alice = Caller.NewCustomer();
            using var throughRedis = await api.SendAsync(alice);
            Assert.Single(await SlidingWindowScriptShould.CountersAsync(garnet.Redis, "ta:rl:user:" + alice.Sub));

            var warningsBefore = api.Logs.RateLimiterWarnings.Count;
            proxy.Stall();
            var clock = Stopwatch.StartNew();
            var stalled = await api.SendManyAsync(6, alice);
            clock.Stop();
            proxy.Resume();

            Assert.Equal(HttpStatusCode.OK, throughRedis.StatusCode);
            Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], stalled);
            // one request waits for the timeout, the rest skip Redis while it is suspect
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"6 requests took {clock.Elapsed} with Redis stalled");
            var warning = Assert.Single(api.Logs.RateLimiterWarnings.Skip(warningsBefore));
            Assert.Contains("reseller acme", warning, StringComparison.Ordinal);
            Assert.Contains("no answer within 100 ms", warning, StringComparison.Ordinal);
        }
        finally
        {
            await garnet.DisposeAsync();
            garnet.Dispose();
        }
    }
}
