using StackExchange.Redis;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Api.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>The Lua script behaves the same on both Redis-protocol servers a cell may run, and like the C# arithmetic.</summary>
public sealed class SlidingWindowScriptShould
{
    private static readonly WindowPolicy FourPerHour = new(PartitionKind.Customer, new RateLimitRule(4, TimeSpan.FromHours(1)));

    [Theory]
    [InlineData("garnet")]
    [InlineData("redis-server")]
    public async Task SpendTheBudgetOnceAndGiveRejectedPermitsBack(string server)
    {
        await OnServerAsync(server, async redis =>
        {
            var db = redis.GetDatabase();
            var key = "ta:rl:user:" + Guid.NewGuid().ToString("N");

            var admitted = new List<RateLimitDecision>();
            for (var i = 0; i < 4; i++)
            {
                admitted.Add(await RedisSlidingWindow.EvaluateAsync(db, key, FourPerHour, 1));
            }

            var rejected = await RedisSlidingWindow.EvaluateAsync(db, key, FourPerHour, 1);

            Assert.All(admitted, d => Assert.True(d.Allowed));
            Assert.Equal([3L, 2L, 1L, 0L], admitted.Select(d => d.Remaining));
            Assert.False(rejected.Allowed);
            Assert.InRange(rejected.RetryAfterMillis, rejected.ResetMillis, rejected.ResetMillis + 1); // when this window ends
            var counter = Assert.Single(await CountersAsync(redis, key));
            Assert.Equal(4, (long)await db.StringGetAsync(counter)); // the rejection gave its permit back
            var ttl = await db.KeyTimeToLiveAsync(counter);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));
        });
    }

    [Theory]
    [InlineData("garnet")]
    [InlineData("redis-server")]
    public async Task AdmitExactlyTheLimitWhenSeparateConnectionsRace(string server)
    {
        await OnServerAsync(server, async redis =>
        {
            // separate connections are separate server sessions, as two API replicas are
            var endpoint = redis.GetEndPoints()[0];
            var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { endpoint } })));
            var policy = new WindowPolicy(PartitionKind.Integrator, new RateLimitRule(100, TimeSpan.FromHours(1)));
            var key = "ta:rl:client:" + Guid.NewGuid().ToString("N");
            try
            {
                var decisions = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
                    RedisSlidingWindow.EvaluateAsync(connections[i % 4].GetDatabase(), key, policy, 1)));

                Assert.Equal(100, decisions.Count(d => d.Allowed));
                Assert.Equal(100, (long)await redis.GetDatabase().StringGetAsync(Assert.Single(await CountersAsync(redis, key))));
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }
        });
    }

    [Theory]
    [InlineData("garnet", 0, 3, 5)]
    [InlineData("garnet", 1000, 0, 500)]
    [InlineData("garnet", 1000, 400, 500)]
    [InlineData("garnet", 200, 499, 500)]
    [InlineData("redis-server", 1000, 0, 500)]
    [InlineData("redis-server", 200, 499, 500)]
    public async Task WeighThePreviousWindowLikeTheInProcessLimiter(string server, long previous, long current, int limit)
    {
        await OnServerAsync(server, async redis =>
        {
            var db = redis.GetDatabase();
            var policy = new WindowPolicy(PartitionKind.Anonymous, new RateLimitRule(limit, TimeSpan.FromDays(1)));
            var key = "ta:rl:ip:" + Guid.NewGuid().ToString("N");
            var now = (long)(await redis.GetServer(redis.GetEndPoints()[0]).TimeAsync() - DateTime.UnixEpoch).TotalMilliseconds;
            var index = now / policy.WindowMillis;
            await db.StringSetAsync($"{key}:{index - 1}", previous);
            await db.StringSetAsync($"{key}:{index}", current);

            var fromRedis = await RedisSlidingWindow.EvaluateAsync(db, key, policy, 1);
            var inProcess = SlidingWindow.Decide(previous, current + 1, now - (index * policy.WindowMillis), policy, 1);

            Assert.Equal(inProcess.Allowed, fromRedis.Allowed);
            Assert.InRange(fromRedis.Remaining, inProcess.Remaining - 1, inProcess.Remaining);
            Assert.InRange(fromRedis.RetryAfterMillis, inProcess.RetryAfterMillis - 2000, inProcess.RetryAfterMillis);
            Assert.InRange(fromRedis.ResetMillis, inProcess.ResetMillis - 2000, inProcess.ResetMillis);
        });
    }

    [Theory]
    [InlineData("garnet")]
    [InlineData("redis-server")]
    public async Task LoadTheScriptAgainWhenTheServerAnswersNoScript(string server)
    {
        await OnServerAsync(server, async redis =>
        {
            var db = redis.GetDatabase();
            var key = "ta:rl:user:" + Guid.NewGuid().ToString("N");
            await RedisSlidingWindow.EvaluateAsync(db, key, FourPerHour, 1);

            await redis.GetServer(redis.GetEndPoints()[0]).ScriptFlushAsync();
            var afterFlush = await RedisSlidingWindow.EvaluateAsync(db, key, FourPerHour, 2);
            var cached = await db.ScriptEvaluateAsync(RedisSlidingWindow.Hash, [key], FourPerHour.ArgumentsFor(1));

            Assert.True(afterFlush.Allowed);
            Assert.Equal(1, afterFlush.Remaining);
            Assert.Equal(0, (long)((RedisResult[])cached!)[1]); // EVAL cached the script again for EVALSHA
        });
    }

    /// <summary>The window counters of a partition (a test may scan; the limiter never does).</summary>
    internal static async Task<List<RedisKey>> CountersAsync(IConnectionMultiplexer redis, string partitionKey)
    {
        var keys = new List<RedisKey>();
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: partitionKey + ":*"))
        {
            keys.Add(key);
        }

        return keys;
    }

    private static async Task OnServerAsync(string server, Func<IConnectionMultiplexer, Task> test)
    {
        if (server == "garnet")
        {
            var garnet = new GarnetServer();
            await garnet.InitializeAsync();
            try
            {
                await test(garnet.Redis);
            }
            finally
            {
                await garnet.DisposeAsync();
                garnet.Dispose();
            }
        }
        else
        {
            await using var redisServer = await RedisServerProcess.StartAsync();
            await test(redisServer.Redis);
        }
    }
}
