using System.Net;
using System.Text.Json;
using TicketAspire.Api.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>
/// Each reseller's own request budgets (<c>Resellers:&lt;id&gt;:RateLimiting</c>, from the cell file's
/// <c>rate_limits</c>) over the cell's, through a real pipeline with each reseller's budgets in its own Garnet server.
/// </summary>
public sealed class ResellerBudgetsShould(GarnetPair redis) : IClassFixture<GarnetPair>
{
    /// <summary>
    /// The cell: integrators 50 and customers 4 a day (day-long windows: nothing slides out during a test); acme's
    /// integrators 3 a day, globex's 6 a day.
    /// </summary>
    private static Dictionary<string, string?> Budgets(Dictionary<string, string?> settings)
    {
        settings["RateLimiting:Integrator:PermitLimit"] = "50";
        settings["RateLimiting:Integrator:Window"] = "1.00:00:00";
        settings["RateLimiting:Customer:PermitLimit"] = "4";
        settings["RateLimiting:Customer:Window"] = "1.00:00:00";
        settings["Resellers:acme:RateLimiting:Integrator:PermitLimit"] = "3";
        settings["Resellers:globex:RateLimiting:Integrator:PermitLimit"] = "6";
        return settings;
    }

    [Fact]
    public async Task LimitEachResellersIntegratorsAtTheResellersOwnBudget()
    {
        await using var api = await RateLimitedApi.StartAsync(Budgets(RateLimitedApi.Settings(redis.AcmeEndpoint, redis.GlobexEndpoint)));

        var (acmeLimits, acmeCodes) = await SendAsync(api, 4, Caller.Integrator("acme-backend-" + Guid.NewGuid().ToString("N")), Resellers.AcmeHost);
        var (globexLimits, globexCodes) = await SendAsync(api, 7, Caller.Integrator("globex-backend-" + Guid.NewGuid().ToString("N")), Resellers.GlobexHost);

        Assert.All(acmeLimits, limit => Assert.Equal("3", limit));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], acmeCodes);
        Assert.All(globexLimits, limit => Assert.Equal("6", limit));
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 6), HttpStatusCode.TooManyRequests], globexCodes);
    }

    [Fact]
    public async Task NameTheResellersBudgetInTheRejection()
    {
        await using var api = await RateLimitedApi.StartAsync(Budgets(RateLimitedApi.Settings(redis.AcmeEndpoint, redis.GlobexEndpoint)));
        var integrator = Caller.Integrator("acme-backend-" + Guid.NewGuid().ToString("N"));
        await api.SendManyAsync(3, integrator);

        using var rejected = await api.SendAsync(integrator);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        using var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync());
        Assert.Contains("integrator rate limit (3 requests per day)", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepTheCellsBudgetsForWhatAResellerDoesNotSet()
    {
        await using var api = await RateLimitedApi.StartAsync(Budgets(RateLimitedApi.Settings(redis.AcmeEndpoint, redis.GlobexEndpoint)));

        var (limits, codes) = await SendAsync(api, 5, Caller.NewCustomer(), Resellers.GlobexHost);

        Assert.All(limits, limit => Assert.Equal("4", limit));
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 4), HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public async Task ApplyTheResellersBudgetInProcessWhileItsRedisIsDown()
    {
        // acme's Redis is a closed port: its requests are decided by the in-process limiter, with acme's budget
        await using var api = await RateLimitedApi.StartAsync(Budgets(RateLimitedApi.Settings("127.0.0.1:1", redis.GlobexEndpoint)));

        var (limits, codes) = await SendAsync(api, 4, Caller.Integrator("acme-backend-" + Guid.NewGuid().ToString("N")), Resellers.AcmeHost);

        Assert.All(limits, limit => Assert.Equal("3", limit));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
    }

    private static async Task<(List<string> Limits, List<HttpStatusCode> Codes)> SendAsync(RateLimitedApi api, int count, Caller caller, string host)
    {
        var limits = new List<string>();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await api.SendAsync(caller, host: host);
            codes.Add(response.StatusCode);
            limits.Add(Assert.Single(response.Headers.GetValues("RateLimit-Limit")));
        }

        return (limits, codes);
    }
}
