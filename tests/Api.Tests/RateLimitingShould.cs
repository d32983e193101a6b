using System.Net;
using System.Text.Json;
using StackExchange.Redis;
using TicketAspire.Api.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>The API's rate limiting through a real pipeline, with each reseller's budgets in its own Garnet server.</summary>
public sealed class RateLimitingShould(GarnetPair redis) : IClassFixture<GarnetPair>, IAsyncLifetime
{
    private RateLimitedApi _api = null!;

    public async Task InitializeAsync()
    {
        var settings = RateLimitedApi.Settings(redis.AcmeEndpoint, redis.GlobexEndpoint);
        // day-long windows (aligned to UTC midnight): nothing slides out during a test, so budgets are exact
        settings["RateLimiting:Customer:PermitLimit"] = "3";
        settings["RateLimiting:Customer:Window"] = "1.00:00:00";
        settings["RateLimiting:CustomerWrite:PermitLimit"] = "2";
        settings["RateLimiting:CustomerWrite:Window"] = "1.00:00:00";
        settings["RateLimiting:Staff:PermitLimit"] = "5";
        settings["RateLimiting:Staff:Window"] = "1.00:00:00";
        settings["RateLimiting:Integrator:PermitLimit"] = "50";
        settings["RateLimiting:Integrator:Window"] = "1.00:00:00";
        settings["RateLimiting:Anonymous:PermitLimit"] = "1000";
        settings["RateLimiting:Anonymous:Window"] = "1.00:00:00";
        settings["RateLimiting:AnonymousWrite:PermitLimit"] = "1000";
        settings["RateLimiting:AnonymousWrite:Window"] = "1.00:00:00";
        settings["RateLimiting:PspWebhook:PermitLimit"] = "4";
        settings["RateLimiting:PspWebhook:Window"] = "1.00:00:00";
        _api = await RateLimitedApi.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task RejectTheRequestOverTheBudgetWith429RetryAfterAndProblemDetails()
    {
        var alice = Caller.NewCustomer();

        var admitted = await _api.SendManyAsync(3, alice);
        using var rejected = await _api.SendAsync(alice);

        Assert.All(admitted, code => Assert.Equal(HttpStatusCode.OK, code));
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var retryAfter = Assert.Single(rejected.Headers.GetValues("Retry-After"));
        Assert.True(long.TryParse(retryAfter, out var seconds) && seconds >= 1, $"Retry-After '{retryAfter}' is not a whole number of seconds >= 1");
        Assert.InRange(seconds, 1, 86_401); // at the latest just after the day's window ends
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync());
        var root = problem.RootElement;
        Assert.Equal("https://ticketaspire.dev/problems/rate_limited", root.GetProperty("type").GetString());
        Assert.Equal("Too many requests", root.GetProperty("title").GetString());
        Assert.Equal(429, root.GetProperty("status").GetInt32());
        Assert.Equal("rate_limited", root.GetProperty("code").GetString());
        var detail = root.GetProperty("detail").GetString();
        Assert.Contains("customer", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.Sub!, detail, StringComparison.Ordinal);
        Assert.Equal("0", Assert.Single(rejected.Headers.GetValues("RateLimit-Remaining")));
    }

    [Fact]
    public async Task TellAdmittedCallersTheirLimitRemainingAndReset()
    {
        var alice = Caller.NewCustomer();

        using var first = await _api.SendAsync(alice);
        using var second = await _api.SendAsync(alice);

        Assert.Equal("3", Assert.Single(first.Headers.GetValues("RateLimit-Limit")));
        Assert.Equal("2", Assert.Single(first.Headers.GetValues("RateLimit-Remaining")));
        Assert.Equal("1", Assert.Single(second.Headers.GetValues("RateLimit-Remaining")));
        Assert.InRange(long.Parse(Assert.Single(second.Headers.GetValues("RateLimit-Reset")), System.Globalization.CultureInfo.InvariantCulture), 1, 86_400);
    }

    [Fact]
    public async Task KeepTheBudgetsOfDifferentCallersApart()
    {
        var alice = Caller.NewCustomer();
        await _api.SendManyAsync(3, alice);

        using var aliceAgain = await _api.SendAsync(alice);
        using var bob = await _api.SendAsync(Caller.NewCustomer());
        using var staffWithAlicesSub = await _api.SendAsync(Caller.Staff(alice.Sub!));
        using var integrator = await _api.SendAsync(Caller.Integrator("acme-backend-" + Guid.NewGuid().ToString("N")));
        using var anonymous = await _api.SendAsync(Caller.Anonymous);

        Assert.Equal(HttpStatusCode.TooManyRequests, aliceAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staffWithAlicesSub.StatusCode);
        Assert.Equal("5", Assert.Single(staffWithAlicesSub.Headers.GetValues("RateLimit-Limit")));
        Assert.Equal(HttpStatusCode.OK, integrator.StatusCode);
        Assert.Equal("50", Assert.Single(integrator.Headers.GetValues("RateLimit-Limit")));
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal("1000", Assert.Single(anonymous.Headers.GetValues("RateLimit-Limit")));
    }

    [Fact]
    public async Task KeepEachResellersBudgetsInItsOwnRedis()
    {
        var alice = Caller.NewCustomer();
        await _api.SendManyAsync(3, alice);

        using var atAcme = await _api.SendAsync(alice);
        using var atGlobex = await _api.SendAsync(alice, host: Resellers.GlobexHost);

        Assert.Equal(HttpStatusCode.TooManyRequests, atAcme.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atGlobex.StatusCode);
        var key = "ta:rl:user:" + alice.Sub;
        var atAcmeCounter = Assert.Single(await SlidingWindowScriptShould.CountersAsync(redis.Acme.Redis, key));
        var atGlobexCounter = Assert.Single(await SlidingWindowScriptShould.CountersAsync(redis.Globex.Redis, key));
        Assert.Equal(3, (long)await redis.Acme.Redis.GetDatabase().StringGetAsync(atAcmeCounter));
        Assert.Equal(1, (long)await redis.Globex.Redis.GetDatabase().StringGetAsync(atGlobexCounter));
    }

    [Fact]
    public async Task GiveWritesOfEndUsersTheirOwnSmallerBudget()
    {
        var alice = Caller.NewCustomer();

        var writes = await _api.SendManyAsync(3, alice, method: HttpMethod.Post);
        using var read = await _api.SendAsync(alice);
        using var delete = await _api.SendAsync(alice, method: HttpMethod.Delete);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], writes);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, delete.StatusCode);
        Assert.Single(await SlidingWindowScriptShould.CountersAsync(redis.Acme.Redis, "ta:rl:write:user:" + alice.Sub));
    }

    [Fact]
    public async Task NeverLimitHealthProbesOrEndpointsThatDisableRateLimiting()
    {
        var alice = Caller.NewCustomer();
        await _api.SendManyAsync(3, alice);

        var free = await _api.SendManyAsync(10, alice, "/v1/free");
        var health = await _api.SendManyAsync(10, alice, "/health");
        var alive = await _api.SendManyAsync(10, alice, "/alive");
        using var limited = await _api.SendAsync(alice);

        Assert.All(free.Concat(health).Concat(alive), code => Assert.Equal(HttpStatusCode.OK, code));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task GiveThePspWebhookEndpointABudgetOfItsOwn()
    {
        // the endpoint is limited (before any body is read) and spends neither the anonymous budgets nor theirs it
        var psp = await _api.SendManyAsync(5, Caller.Anonymous, "/v1/psp/webhooks", HttpMethod.Post);
        using var anonymousWrite = await _api.SendAsync(Caller.Anonymous, method: HttpMethod.Post);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], psp);
        Assert.Equal(HttpStatusCode.OK, anonymousWrite.StatusCode);
    }

    [Fact]
    public async Task LimitRequestsWithoutAResellerInProcess()
    {
        var alice = Caller.NewCustomer();

        var codes = await _api.SendManyAsync(4, alice, "/v1/open", host: "unknown.test");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
        Assert.Empty(await SlidingWindowScriptShould.CountersAsync(redis.Acme.Redis, "ta:rl:user:" + alice.Sub));
        Assert.Empty(_api.Logs.RateLimiterWarnings);
    }

    [Fact]
    public async Task AdmitExactlyTheBudgetOfConcurrentRequests()
    {
        var integrator = Caller.Integrator("burst-" + Guid.NewGuid().ToString("N"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _api.SendAsync(integrator)));

        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(150, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Empty(_api.Logs.RateLimiterWarnings);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task RunTheScriptAgainAfterRedisLostItsScriptCache()
    {
        var alice = Caller.NewCustomer();
        var db = redis.Acme.Redis.GetDatabase();
        using var first = await _api.SendAsync(alice);
        var counter = Assert.Single(await SlidingWindowScriptShould.CountersAsync(redis.Acme.Redis, "ta:rl:user:" + alice.Sub));

        await redis.Acme.Redis.GetServer(redis.Acme.Redis.GetEndPoints()[0]).ScriptFlushAsync();
        using var second = await _api.SendAsync(alice);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("1", Assert.Single(second.Headers.GetValues("RateLimit-Remaining")));
        Assert.Equal(2, (long)await db.StringGetAsync(counter)); // counted in Redis, not in process
        Assert.Empty(_api.Logs.RateLimiterWarnings);
    }
}
