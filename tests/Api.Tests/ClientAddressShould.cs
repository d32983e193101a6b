using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>
/// The client address behind the cell's proxies, as the rate limiter sees it: X-Forwarded-For counts only from a known
/// proxy (here the test client's own 127.0.0.1), so clients behind it get a budget each and nobody else can pick one.
/// </summary>
public sealed class ClientAddressShould(GarnetPair redis) : IClassFixture<GarnetPair>
{
    private async Task<RateLimitedApi> StartAsync(params (string Key, string Value)[] forwarding)
    {
        var settings = RateLimitedApi.Settings(redis.AcmeEndpoint, redis.GlobexEndpoint);
        settings["RateLimiting:Anonymous:PermitLimit"] = "2";
        settings["RateLimiting:Anonymous:Window"] = "1.00:00:00";
        foreach (var (key, value) in forwarding)
        {
            settings["ForwardedHeaders:" + key] = value;
        }

        return await RateLimitedApi.StartAsync(settings);
    }

    [Fact]
    public async Task HonourXForwardedForFromAKnownProxy()
    {
        await using var api = await StartAsync(("KnownProxies:0", "127.0.0.1"));
        var (first, second) = (Client(), Client());

        var codes = new List<HttpStatusCode>();
        foreach (var client in new[] { first, first, second, second, first })
        {
            using var response = await api.SendAsync(Caller.Anonymous, forwardedFor: client);
            codes.Add(response.StatusCode);
        }

        // two clients, two budgets of 2: the fifth request is the first client's third
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public async Task HonourAKnownNetworkAndReadOnlyTheLastHop()
    {
        await using var api = await StartAsync(("KnownNetworks:0", "127.0.0.0/8"));
        var client = Client();

        // whatever a client puts left of the proxy's entry is not read (ForwardLimit 1): rotating it gains nothing
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await api.SendAsync(Caller.Anonymous, forwardedFor: $"{Client()}, {client}");
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public async Task IgnoreXForwardedForFromAnUnknownPeer()
    {
        // nothing configured: not even loopback is trusted, so a spoofed header per request shares the peer's budget
        await using var api = await StartAsync();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await api.SendAsync(Caller.Anonymous, forwardedFor: Client());
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public void RefuseAKnownProxyThatIsNotAnAddressAtStart()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KnownNetworks:0"] = "10.0.0.0/33" }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => Microsoft.Extensions.Hosting.ClientAddressExtensions.Configure(new ForwardedHeadersOptions(), section));
        Assert.Contains("ForwardedHeaders:KnownNetworks", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A documentation address (its own /64) nobody else in the run uses.</summary>
    private static string Client() => $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}::1";
}
