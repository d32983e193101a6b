using System.Net;
using TicketAspire.Api.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

/// <summary>Two API replicas (separate processes in production, separate service providers here) over one reseller Redis.</summary>
public sealed class RateLimitingReplicasShould(GarnetServer redis) : IClassFixture<GarnetServer>, IAsyncLifetime
{
    private RateLimitedApi _first = null!;
    private RateLimitedApi _second = null!;

    public async Task InitializeAsync()
    {
        var settings = RateLimitedApi.Settings($"127.0.0.1:{redis.Port}");
        settings["RateLimiting:Customer:PermitLimit"] = "6";
        settings["RateLimiting:Customer:Window"] = "1.00:00:00";
        settings["RateLimiting:Integrator:PermitLimit"] = "40";
        settings["RateLimiting:Integrator:Window"] = "1.00:00:00";
        _first = await RateLimitedApi.StartAsync(settings);
        _second = await RateLimitedApi.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task ShareOneBudgetBetweenReplicas()
    {
        var alice = Caller.NewCustomer();
        var codes = new List<(int Replica, HttpStatusCode Code)>();

        for (var i = 0; i < 10; i++)
        {
            var replica = i % 2 == 0 ? _first : _second;
            using var response = await replica.SendAsync(alice);
            codes.Add((i % 2, response.StatusCode));
        }

        Assert.Equal(6, codes.Count(c => c.Code == HttpStatusCode.OK));
        Assert.All(codes.Take(6), c => Assert.Equal(HttpStatusCode.OK, c.Code));
        Assert.All(codes.Skip(6), c => Assert.Equal(HttpStatusCode.TooManyRequests, c.Code));
        Assert.Contains(codes.Skip(6), c => c.Replica == 0);
        Assert.Contains(codes.Skip(6), c => c.Replica == 1);
    }

    [Fact]
    public async Task AdmitExactlyTheBudgetOfConcurrentRequestsSpreadOverReplicas()
    {
        var integrator = Caller.Integrator("replicas-" + Guid.NewGuid().ToString("N"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 160)
            .Select(i => (i % 2 == 0 ? _first : _second).SendAsync(integrator)));

        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(120, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Empty(_first.Logs.RateLimiterWarnings);
        Assert.Empty(_second.Logs.RateLimiterWarnings);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
