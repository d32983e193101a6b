using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Tenancy.Tests;

public sealed class MultiTenantOptionsShould
{
    private sealed class Limits
    {
        public int MaxSeats { get; set; } = 50;

        public string Label { get; set; } = "default";
    }

    private static ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Limits:Label"] = "platform",
            ["Resellers:acme:Limits:MaxSeats"] = "8",
        }).Build();
        var services = new ServiceCollection();
        services.AddMultiTenant<ResellerTenantInfo>();
        services.AddOptions<Limits>().Bind(configuration.GetSection("Limits"));
        services.ConfigurePerTenant<Limits, ResellerTenantInfo>((o, t) => configuration.GetSection($"Resellers:{t.Id}:Limits").Bind(o));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void ApplyTheTenantsStepsOnTopOfTheSharedConfiguration()
    {
        using var sp = Build();
        var setter = sp.GetRequiredService<IMultiTenantContextSetter<ResellerTenantInfo>>();
        var accessor = sp.GetRequiredService<IMultiTenantContextAccessor<ResellerTenantInfo>>();
        var options = sp.GetRequiredService<IMultiTenantOptions<Limits>>();

        using (setter.Use(Resellers.Acme, accessor))
        {
            Assert.Equal(8, options.Value.MaxSeats);
            Assert.Equal("platform", options.Value.Label);
        }

        using (setter.Use(Resellers.Globex, accessor))
        {
            Assert.Equal(50, options.Value.MaxSeats);
            Assert.Equal("platform", options.Value.Label);
        }

        // the shared options are untouched by per-tenant steps
        Assert.Equal(50, sp.GetRequiredService<IOptions<Limits>>().Value.MaxSeats);
    }

    [Fact]
    public void RefuseToAnswerWithoutATenant()
    {
        using var sp = Build();
        var options = sp.GetRequiredService<IMultiTenantOptions<Limits>>();
        Assert.Throws<InvalidOperationException>(() => options.Value);
    }
}
