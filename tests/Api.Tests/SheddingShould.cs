using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Api.Infrastructure.Shedding;

namespace TicketAspire.Api.Tests;

public sealed class SheddingShould
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly SheddingOptions _options = new() { MaxInFlight = 10, LatencyCeiling = TimeSpan.FromSeconds(2) };

    [Theory]
    [InlineData("/health", "GET", RequestClass.Exempt)]
    [InlineData("/alive", "GET", RequestClass.Exempt)]
    [InlineData("/openapi/v1.json", "GET", RequestClass.Exempt)]
    [InlineData("/test/shedding", "PUT", RequestClass.Exempt)]
    [InlineData("/v1/events", "GET", RequestClass.Browse)]
    [InlineData("/v1/events/x/seats", "HEAD", RequestClass.Browse)]
    [InlineData("/v1/holds", "POST", RequestClass.Purchase)]
    [InlineData("/v1/holds/x/confirm", "POST", RequestClass.Purchase)]
    [InlineData("/v1/holds/x", "DELETE", RequestClass.Purchase)]
    [InlineData("/v1/events/x/stream", "GET", RequestClass.Stream)]
    [InlineData("/v1/queue/events/x/me/stream", "GET", RequestClass.Stream)]
    // routing ignores letter case, so shedding must too: odd casing is the same endpoint, never exempt
    [InlineData("/V1/events", "GET", RequestClass.Browse)]
    [InlineData("/V1/HOLDS", "POST", RequestClass.Purchase)]
    [InlineData("/v1/Events/x/STREAM", "GET", RequestClass.Stream)]
    [InlineData("/Health", "GET", RequestClass.Exempt)]
    [InlineData("/video", "GET", RequestClass.Exempt)]
    public void ClassifyRequests(string path, string method, RequestClass expected) =>
        Assert.Equal(expected, SheddingPolicy.Classify(path, method));

    [Theory]
    [InlineData(0.0, false, false)]
    [InlineData(0.59, false, false)]
    [InlineData(0.6, true, false)]
    [InlineData(0.8, true, false)]
    [InlineData(0.95, true, true)]
    [InlineData(1.5, true, true)]
    public void ShedBrowsingBeforePurchasingAndHealthNever(double load, bool browseShed, bool purchaseShed)
    {
        Assert.Equal(browseShed, SheddingPolicy.Sheds(RequestClass.Browse, load, _options));
        Assert.Equal(purchaseShed, SheddingPolicy.Sheds(RequestClass.Purchase, load, _options));
        Assert.Equal(browseShed, SheddingPolicy.Sheds(RequestClass.Stream, load, _options));
        Assert.False(SheddingPolicy.Sheds(RequestClass.Exempt, load, _options));
    }

    [Fact]
    public void NeverShedWhenDisabled() =>
        Assert.False(SheddingPolicy.Sheds(RequestClass.Browse, 5, new SheddingOptions { Enabled = false }));

    [Fact]
    public void MeasureLoadAsRequestsInFlightOverTheMaximum()
    {
        var meter = Meter();
        for (var i = 0; i < 7; i++)
        {
            meter.Enter();
        }

        Assert.Equal(0.7, meter.Load, 3);
        meter.Exit(RequestClass.Purchase, TimeSpan.FromMilliseconds(5));
        Assert.Equal(0.6, meter.Load, 3);
    }

    [Fact]
    public void CountSlowReadsAsLoadAndForgetThemWhenNoReadsComeIn()
    {
        var meter = Meter();
        for (var i = 0; i < 30; i++)
        {
            meter.Enter();
            meter.Exit(RequestClass.Browse, TimeSpan.FromSeconds(2));
        }

        Assert.True(meter.Load > 0.95, $"load {meter.Load}");
        _time.Advance(TimeSpan.FromSeconds(4));   // two half-lives
        Assert.InRange(meter.Load, 0.2, 0.3);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(meter.Load < 0.01, $"load {meter.Load}");
    }

    [Fact]
    public void IgnoreWriteLatencyWhichMayWaitOnThePaymentProvider()
    {
        var meter = Meter();
        for (var i = 0; i < 30; i++)
        {
            meter.Enter();
            meter.Exit(RequestClass.Purchase, TimeSpan.FromSeconds(10));
        }

        Assert.Equal(0, meter.Load);
    }

    [Fact]
    public void TakeTheSimulatedLoadAsAFloorAndResetIt()
    {
        var meter = Meter();
        meter.SimulatedLoad = 0.8;
        Assert.Equal(0.8, meter.Load);
        meter.SimulatedLoad = null;
        Assert.Equal(0, meter.Load);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0.7, true)]
    public void ValidateOptions(double browse, bool valid) =>
        Assert.Equal(valid, new SheddingOptions { BrowseThreshold = browse }.IsValid());

    [Fact]
    public async Task NotCountAnOpenStreamAsARequestInFlightNorItsLifetimeAsLatency()
    {
        var meter = Meter();
        var open = new TaskCompletionSource();
        var middleware = new LoadSheddingMiddleware(_ => open.Task, meter, new StaticMonitor(_options), _time);
        var streams = Enumerable.Range(0, 20).Select(_ =>
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Path = "/v1/events/x/stream";
            return middleware.InvokeAsync(context);
        }).ToArray();

        Assert.Equal(0, meter.Load);   // 20 open streams on a limit of 10 in flight
        _time.Advance(TimeSpan.FromMinutes(5));
        open.SetResult();
        await Task.WhenAll(streams);
        Assert.Equal(0, meter.Load);
    }

    private LoadMeter Meter() => new(new StaticMonitor(_options), _time);

    private sealed class StaticMonitor(SheddingOptions value) : IOptionsMonitor<SheddingOptions>
    {
        public SheddingOptions CurrentValue => value;

        public SheddingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SheddingOptions, string?> listener) => null;
    }
}
