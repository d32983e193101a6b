using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Api.Tests.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Api.Tests;

public sealed class RateLimitOptionsShould
{
    [Fact]
    public void DefaultToSensibleLimitsPerKind()
    {
        var options = Bind([]);

        Assert.True(options.Enabled);
        // an integrator's back end selling an on-sale is held back by the API's throughput, not by its budget
        Assert.Equal((120_000, TimeSpan.FromMinutes(1)), (options.Integrator.PermitLimit, options.Integrator.Window));
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

    [Fact]
    public void GiveAResellerItsOwnBudgetsOverTheCellsAndKeepTheRest()
    {
        using var services = Services(new()
        {
            ["RateLimiting:Integrator:PermitLimit"] = "9000",
            ["RateLimiting:Customer:PermitLimit"] = "7",
            ["Resellers:globex:RateLimiting:Integrator:PermitLimit"] = "300000",
            ["Resellers:globex:RateLimiting:AnonymousWrite:Window"] = "00:00:30",
        });
        var perReseller = services.GetRequiredService<MultiTenantOptionsCache<RateLimitOptions, ResellerTenantInfo>>();

        var globex = perReseller.Get(Resellers.Globex);
        var acme = perReseller.Get(Resellers.Acme);

        Assert.Equal((300_000, TimeSpan.FromMinutes(1)), (globex.Integrator.PermitLimit, globex.Integrator.Window));
        Assert.Equal((60, TimeSpan.FromSeconds(30)), (globex.AnonymousWrite.PermitLimit, globex.AnonymousWrite.Window));
        Assert.Equal(7, globex.Customer.PermitLimit);
        Assert.Equal(9000, acme.Integrator.PermitLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), acme.AnonymousWrite.Window);
        // the cell's options are not changed by a reseller's
        Assert.Equal(9000, services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Integrator.PermitLimit);
    }

    [Fact]
    public void RefuseAResellersBudgetOutOfBoundsOrASettingThatIsCellWide()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Resellers:acme:RateLimiting:Integrator:PermitLimit"] = "0",
            ["Resellers:acme:RateLimiting:Staff:Window"] = "2.00:00:00",
            ["Resellers:globex:RateLimiting:RedisTimeout"] = "00:00:01",
            ["Resellers:globex:RateLimiting:PspWebhook:PermitLimit"] = "5",
            // other per-reseller settings are no concern of the rate limiter
            ["Resellers:globex:HoldOptions:MaxSeatsPerHold"] = "8",
        }));

        Assert.Equal(4, failure.Failures.Count());
        Assert.Contains(failure.Failures, f => f.Contains("Resellers:acme:RateLimiting:Integrator:PermitLimit", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Resellers:acme:RateLimiting:Staff:Window", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Resellers:globex:RateLimiting:RedisTimeout cannot be set per reseller", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Resellers:globex:RateLimiting:PspWebhook cannot be set per reseller", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopTheApiFromStartingWithAnInvalidResellerBudget()
    {
        var settings = RateLimitedApi.Settings("127.0.0.1:1");
        settings["Resellers:acme:RateLimiting:Integrator:PermitLimit"] = "2000000";

        await Assert.ThrowsAsync<OptionsValidationException>(() => RateLimitedApi.StartAsync(settings));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddApiRateLimiting(configuration).BuildServiceProvider();
    }

    private static RateLimitOptions Bind(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
    }
}
