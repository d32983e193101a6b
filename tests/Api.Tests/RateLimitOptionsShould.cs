using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Api.Tests.Infrastructure;

namespace TicketAspire.Api.Tests;

public sealed class RateLimitOptionsShould
{
    [Fact]
    public void DefaultToSensibleLimitsPerKind()
    {
        var options = Bind([]);

        Assert.True(options.Enabled);
        Assert.Equal((6000, TimeSpan.FromMinutes(1)), (options.Integrator.PermitLimit, options.Integrator.Window));
        Assert.Equal(120, options.Customer.PermitLimit);
        Assert.True(options.CustomerWrite.PermitLimit < options.Customer.PermitLimit);
        Assert.Equal(1200, options.Staff.PermitLimit);
        Assert.Equal(600, options.Anonymous.PermitLimit);
        Assert.True(options.AnonymousWrite.PermitLimit < options.Anonymous.PermitLimit);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.RedisTimeout);
    }

    [Fact]
    public void ChangeOneRuleFromConfigurationAndKeepTheRest()
    {
        var options = Bind(new() { ["RateLimiting:Customer:PermitLimit"] = "7", ["RateLimiting:Staff:Window"] = "00:00:10" });

        Assert.Equal((7, TimeSpan.FromMinutes(1)), (options.Customer.PermitLimit, options.Customer.Window));
        Assert.Equal((1200, TimeSpan.FromSeconds(10)), (options.Staff.PermitLimit, options.Staff.Window));
    }

    [Fact]
    public void RefuseNonsenseNamingTheKey()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            Bind(new() { ["RateLimiting:Customer:PermitLimit"] = "0", ["RateLimiting:Anonymous:Window"] = "00:00:00" }));

        Assert.Contains(failure.Failures, f => f.Contains("RateLimiting:Customer:PermitLimit", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("RateLimiting:Anonymous:Window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopTheApiFromStartingWithInvalidLimits()
    {
        var settings = RateLimitedApi.Settings("127.0.0.1:1");
        settings["RateLimiting:Integrator:PermitLimit"] = "-1";

        await Assert.ThrowsAsync<OptionsValidationException>(() => RateLimitedApi.StartAsync(settings));
    }

    [Fact]
    public async Task LimitNothingWhenDisabled()
    {
        var settings = RateLimitedApi.Settings("127.0.0.1:1");
        settings["RateLimiting:Enabled"] = "false";
        settings["RateLimiting:Customer:PermitLimit"] = "1";
        await using var api = await RateLimitedApi.StartAsync(settings);

        var codes = await api.SendManyAsync(5, Caller.NewCustomer());

        Assert.All(codes, code => Assert.Equal(System.Net.HttpStatusCode.OK, code));
    }

    private static RateLimitOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddApiRateLimiting(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
    }
}
