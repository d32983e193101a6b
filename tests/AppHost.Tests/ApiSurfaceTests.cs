using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>The API's published description, its version handling, and rate limits through the whole stack.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiSurfaceTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_openapi_document_of_v1_describes_the_endpoints_and_the_bearer_scheme_and_scalar_renders_it()
    {
        using var http = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/v1/events", "/v1/events/{id}", "/v1/holds", "/v1/holds/{id}/confirm", "/v1/orders/{id}", "/v1/me/orders", "/v1/audit", "/v1/reports/statement",
            "/v1/admin/resellers/health", "/v1/orders/{id}/resend-tickets", "/v1/account-blocks/{id}" })
        {
            Assert.Contains(path, paths);
        }

        Assert.Equal("http", (string)document["components"]!["securitySchemes"]!["bearer"]!["type"]!);
        using var scalar = await http.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Contains("text/html", scalar.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_api_version_is_a_problem_not_a_crash()
    {
        using var http = platform.ResellerClient("eu", "acme.eu.localhost");
        using var response = await http.GetAsync("/v2/events");
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_end_users_writes_are_rate_limited_in_the_resellers_redis_with_retry_after()
    {
        using var browser = new Browser(platform, "eu");
        var tokens = await browser.SignInAsync("acme", $"busy-{Guid.NewGuid():N}@example.com", "a-long-enough-password-42", register: true);
        var subject = Tokens.Read((string)tokens["access_token"]!).Subject;
        using var http = platform.ResellerClient("eu", "acme.eu.localhost", (string)tokens["access_token"]!);
        await using var acmeRedis = await platform.ConnectRedisAsync("eu", "acme");
        await using var globexRedis = await platform.ConnectRedisAsync("eu", "globex");

        // the limiter counts in acme's Redis (after a cold start it may decide in process for a few seconds: wait for that)
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await KeysAsync(acmeRedis, $"ta:rl:*{subject}*")).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the rate limiter never counted in acme's Redis");
            using var read = await http.GetAsync("/v1/me/orders");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            await Task.Delay(250);
        }

        // an end user's write budget is 30 per minute: confirming holds that do not exist counts as writes too (and
        // changes nothing; holds themselves would meet the tighter hold-velocity limit first); should Redis be slow for a
        // moment, the in-process limiter counts what Redis did not, so allow for a split budget
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 70 && limited is null; i++)
        {
            var response = await http.PostAsync($"/v1/holds/{Guid.NewGuid()}/confirm", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.InRange(statuses.Count(s => s == HttpStatusCode.NotFound), 30, 60);
            Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, limited.Headers.RetryAfter?.ToString());
            var problem = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
            Assert.Equal("rate_limited", (string)problem["code"]!);
        }

        // reads have their own budget, and the counters are in acme's Redis only
        using (var read = await http.GetAsync("/v1/me/orders"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.NotEmpty(await KeysAsync(acmeRedis, $"ta:rl:write:*{subject}*"));
        Assert.Empty(await KeysAsync(globexRedis, $"ta:rl:*{subject}*"));
    }

    private static async Task<List<string>> KeysAsync(StackExchange.Redis.ConnectionMultiplexer redis, string pattern)
    {
        var keys = new List<string>();
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: pattern))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }
}
