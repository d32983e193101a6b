using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy.Tests;

public sealed class ResellerDataSourcesShould : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ResellerStorageOptions _options = new() { MaxPoolSizePerReseller = 7, IdleEviction = TimeSpan.FromMinutes(10) };
    private readonly ResellerDataSources _dataSources;

    public ResellerDataSourcesShould()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=1;Username=postgres" })
            .Build();
        _dataSources = new ResellerDataSources(configuration, Microsoft.Extensions.Options.Options.Create(_options), _time, NullLoggerFactory.Instance);
    }

    [Fact]
    public void PointEachResellerAtItsOwnDatabaseWithACappedPool()
    {
        var acme = new NpgsqlConnectionStringBuilder(_dataSources.ConnectionStringFor(Resellers.Acme));
        var globex = new NpgsqlConnectionStringBuilder(_dataSources.ConnectionStringFor(Resellers.Globex));

        Assert.Equal(("reseller_acme", 7, "127.0.0.1", 1), (acme.Database, acme.MaxPoolSize, acme.Host, acme.Port));
        Assert.Equal(("reseller_globex_events", 7), (globex.Database, globex.MaxPoolSize));
        Assert.Equal("ticketaspire-eu-acme", acme.ApplicationName);
    }

    [Fact]
    public void WaitBoundedForAConnectionAndAStatement()
    {
        var acme = new NpgsqlConnectionStringBuilder(_dataSources.ConnectionStringFor(Resellers.Acme));

        Assert.Equal((5, 15), (acme.Timeout, acme.CommandTimeout));
    }

    [Fact]
    public async Task LogInAsEachResellersOwnRoleWhenItsPasswordIsConfigured()
    {
        var options = new ResellerStorageOptions { Passwords = { ["acme"] = "acme-secret" } };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=1;Username=catalog;Password=catalog-secret;Database=catalog" })
            .Build();
        await using var dataSources = new ResellerDataSources(configuration, Microsoft.Extensions.Options.Options.Create(options), _time, NullLoggerFactory.Instance);

        var acme = new NpgsqlConnectionStringBuilder(dataSources.ConnectionStringFor(Resellers.Acme));
        var globex = new NpgsqlConnectionStringBuilder(dataSources.ConnectionStringFor(Resellers.Globex));

        Assert.Equal(("reseller_acme", "reseller_acme", "acme-secret"), (acme.Database, acme.Username, acme.Password));
        // no password of its own: the server string's credentials, which (the catalog's role) cannot open its database
        Assert.Equal(("reseller_globex_events", "catalog", "catalog-secret"), (globex.Database, globex.Username, globex.Password));
    }

    [Fact]
    public async Task LogInAsAnOnboardedResellersRoleWithThePasswordDerivedFromTheOnboardingKey()
    {
        var options = new ResellerStorageOptions { OnboardingKey = "cell-onboarding-key" };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=1;Username=catalog;Password=catalog-secret;Database=catalog" })
            .Build();
        await using var dataSources = new ResellerDataSources(configuration, Microsoft.Extensions.Options.Options.Create(options), _time, NullLoggerFactory.Instance);
        var onboarded = new ResellerTenantInfo("fabrikam", "Fabrikam", "eu", "reseller_fabrikam", "redis-fabrikam", ["fabrikam.example"]) { Onboarded = true };

        var fabrikam = new NpgsqlConnectionStringBuilder(dataSources.ConnectionStringFor(onboarded));
        // a reseller of the cell file gets no derived password: only the one the AppHost passes
        var acme = new NpgsqlConnectionStringBuilder(dataSources.ConnectionStringFor(Resellers.Acme));

        Assert.Equal(("reseller_fabrikam", ResellerSecrets.DatabasePassword("cell-onboarding-key", "reseller_fabrikam")), (fabrikam.Username, fabrikam.Password));
        Assert.Equal("catalog", acme.Username);
    }

    [Fact]
    public void RefuseToStartWithoutTheServerConnectionString()
    {
        var empty = new ConfigurationBuilder().Build();

        Assert.Throws<InvalidOperationException>(() =>
            new ResellerDataSources(empty, Microsoft.Extensions.Options.Options.Create(_options), _time, NullLoggerFactory.Instance));
    }

    [Fact]
    public async Task ReuseOneDataSourcePerReseller()
    {
        var first = await _dataSources.GetAsync(Resellers.Acme);
        var again = await _dataSources.GetAsync(Resellers.Acme);
        var other = await _dataSources.GetAsync(Resellers.Globex);

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal("reseller_globex_events", new NpgsqlConnectionStringBuilder(other.ConnectionString).Database);
        Assert.Equal(2, _dataSources.Count);
    }

    [Fact]
    public async Task EvictADataSourceIdleForTheEvictionTimeAndCreateANewOneAfterwards()
    {
        var first = await _dataSources.GetAsync(Resellers.Acme);

        _time.Advance(_options.IdleEviction - TimeSpan.FromSeconds(1));
        Assert.Equal(0, _dataSources.EvictIdle());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _dataSources.EvictIdle());

        Assert.Equal(0, _dataSources.Count);
        var second = await _dataSources.GetAsync(Resellers.Acme);
        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task KeepADataSourceThatIsStillUsed()
    {
        var first = await _dataSources.GetAsync(Resellers.Acme);
        await _dataSources.GetAsync(Resellers.Globex);

        _time.Advance(_options.IdleEviction / 2);
        await _dataSources.GetAsync(Resellers.Acme);
        _time.Advance(_options.IdleEviction / 2);

        Assert.Equal(1, _dataSources.EvictIdle());
        Assert.Same(first, await _dataSources.GetAsync(Resellers.Acme));
    }

    public ValueTask DisposeAsync() => _dataSources.DisposeAsync();
}
