using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Api.Infrastructure.Rules;
using TicketAspire.Inventory.Fees;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.Api.Tests;

/// <summary>
/// The cell rules as the API reads them: Microsoft.FeatureManagement with the rules' own definitions, filter and
/// targeting; the cell's values from configuration, narrowed per reseller by its override.
/// </summary>
public sealed class CellRulesShould : IDisposable
{
    private static readonly ResellerTenantInfo Acme = new("acme", "Acme", "eu", "reseller_acme", "redis-acme", ["acme.eu.localhost"]);
    private static readonly ResellerTenantInfo Globex = new("globex", "Globex", "eu", "reseller_globex", "redis-globex", ["globex.eu.localhost"]);

    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Cell:Id"] = "eu", ["Cell:Currency"] = "EUR",
        ["CellRules:ResaleAllowed"] = "True", ["CellRules:ResalePriceCapPercent"] = "120", ["CellRules:DynamicPricingAllowed"] = "False",
        ["CellRules:GuestCheckout"] = "True", ["CellRules:DataRetentionDays"] = "730", ["CellRules:TaxRatePercent"] = "20.5",
        ["Fees:PlatformFeeBps"] = "500", ["Resellers:globex:Fees:PlatformFeeBps"] = "450",
    }).Build();

    private readonly FakeTimeProvider _time = new();

    private readonly InMemoryOverrides _overrides = new();
    private readonly AsyncLocalMultiTenantContextAccessor<ResellerTenantInfo> _tenants = new();
    private readonly ServiceProvider _services;

    public CellRulesShould()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(_configuration);
        services.AddOptions<CellOptions>().BindConfiguration(CellOptions.SectionName);
        services.AddSingleton<IMultiTenantContextAccessor<ResellerTenantInfo>>(_tenants);
        services.AddSingleton<IRuleOverrideSource>(_overrides);
        services.AddSingleton<TimeProvider>(_time);
        // the fee plans as the API registers them
        services.AddOptions<FeePlan>().BindConfiguration("Fees");
        services.ConfigurePerTenant<FeePlan, ResellerTenantInfo>((options, reseller) => _configuration.GetSection($"Resellers:{reseller.Id}:Fees").Bind(options));
        services.AddCellRules();
        services.AddSingleton<RuleFeePlans>();
        _services = services.BuildServiceProvider();
    }

    private RuleBook Rules => _services.GetRequiredService<RuleBook>();

    private RuleFeePlans FeePlans => _services.GetRequiredService<RuleFeePlans>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task GiveEveryResellerTheCellsRulesWithoutAnOverride()
    {
        As(Acme);
        Assert.Equal(new AppliedRules("eu", "EUR", true, true, 120, true, false, 100, 100, 730, 20.5m), await Rules.GetAsync(default));
    }

    [Fact]
    public async Task NarrowTheRulesOfTheResellerThatChoseToAndNoOther()
    {
        _overrides.Set("acme", new RuleOverride(GuestCheckout: false, ResaleAllowed: false, ResalePriceCapPercent: 80, TransfersAllowed: false));

        As(Acme);
        var acme = await Rules.GetAsync(default);
        As(Globex);
        var globex = await Rules.GetAsync(default);

        Assert.Equal((false, false, 80, false), (acme.GuestCheckout, acme.ResaleAllowed, acme.ResalePriceCapPercent, acme.TransfersAllowed));
        Assert.Equal((true, true, 120, true), (globex.GuestCheckout, globex.ResaleAllowed, globex.ResalePriceCapPercent, globex.TransfersAllowed));
    }

    [Fact]
    public async Task NeverLetAnOverrideWidenTheCell()
    {
        _overrides.Set("acme", new RuleOverride(DynamicPricingAllowed: true, ResalePriceCapPercent: 500));
        As(Acme);

        var acme = await Rules.GetAsync(default);

        Assert.False(acme.DynamicPricingAllowed);
        Assert.Equal(120, acme.ResalePriceCapPercent);
    }

    [Fact]
    public void NameWhatAnOverrideWouldWiden()
    {
        var cell = new CellRuleOptions { GuestCheckout = false, ResaleAllowed = true, ResalePriceCapPercent = 100, DynamicPricingAllowed = true, TransfersAllowed = false };

        var errors = new RuleOverride(GuestCheckout: true, ResaleAllowed: false, ResalePriceCapPercent: 101, TransfersAllowed: true).Violations(cell);

        Assert.Equal(["guest_checkout", "resale_price_cap_percent", "transfers_allowed"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(new RuleOverride(GuestCheckout: false, ResalePriceCapPercent: 100, DynamicPricingAllowed: false).Violations(cell));
    }

    [Fact]
    public async Task ApplyAChangedOverrideAtTheNextEvaluation()
    {
        As(Acme);
        Assert.True(await Rules.GuestCheckoutAsync(default));

        _overrides.Set("acme", new RuleOverride(GuestCheckout: false));
        Assert.False(await Rules.GuestCheckoutAsync(default));

        _overrides.Set("acme", RuleOverride.None);
        Assert.True(await Rules.GuestCheckoutAsync(default));
    }

    [Fact]
    public async Task ApplyAReloadedCellConfiguration()
    {
        As(Acme);
        _configuration["CellRules:GuestCheckout"] = "False";
        _configuration["CellRules:TaxRatePercent"] = "7";
        _configuration.Reload();

        var acme = await Rules.GetAsync(default);

        Assert.False(acme.GuestCheckout);
        Assert.Equal(7m, acme.TaxRatePercent);
    }

    [Fact]
    public async Task GiveTheDynamicPriceRangeOnlyWhereTheCellAndTheResellerAllowIt()
    {
        As(Acme);
        Assert.Null(await Rules.DynamicPricingAsync(default));

        _configuration["CellRules:DynamicPricingAllowed"] = "True";
        _configuration["CellRules:DynamicPriceMinPercent"] = "80";
        _configuration["CellRules:DynamicPriceMaxPercent"] = "200";
        _configuration.Reload();
        Assert.Equal(new DynamicPriceRange(80, 200), await Rules.DynamicPricingAsync(default));
        Assert.Equal((true, 80, 200), await Rules.GetAsync(default) is var all ? (all.DynamicPricingAllowed, all.DynamicPriceMinPercent, all.DynamicPriceMaxPercent) : default);

        _overrides.Set("acme", new RuleOverride(DynamicPricingAllowed: false));
        Assert.Null(await Rules.DynamicPricingAsync(default));
        As(Globex);
        Assert.Equal(new DynamicPriceRange(80, 200), await Rules.DynamicPricingAsync(default));
    }

    [Fact]
    public async Task GiveEachResellersFeePlanTheTaxRateOfItsRulesAndKeepItsOwnFees()
    {
        As(Acme);
        var acme = await FeePlans.GetAsync(default);
        As(Globex);
        var globex = await FeePlans.GetAsync(default);

        Assert.Equal((20.5m, 500), (acme.TaxRatePercent, acme.PlatformFeeBps));
        Assert.Equal((20.5m, 450), (globex.TaxRatePercent, globex.PlatformFeeBps));
        Assert.Equal((await Rules.GetAsync(default)).TaxRatePercent, globex.TaxRatePercent);
        // the configured plans are left as they are (the tax is the rules', never configuration's)
        Assert.Equal(0m, _services.GetRequiredService<IMultiTenantOptions<FeePlan>>().Value.TaxRatePercent);
        // a cached lookup: the same plan until the cache time has passed
        Assert.Same(globex, await FeePlans.GetAsync(default));
        _time.Advance(CatalogRuleOverrides.CacheFor);
        Assert.Same(globex, await FeePlans.GetAsync(default));
    }

    [Fact]
    public async Task GiveAReloadedTaxRateToTheFeePlansWithinTheCacheTime()
    {
        As(Acme);
        var before = await FeePlans.GetAsync(default);
        _configuration["CellRules:TaxRatePercent"] = "7";
        _configuration.Reload();

        Assert.Same(before, await FeePlans.GetAsync(default));
        _time.Advance(CatalogRuleOverrides.CacheFor);
        var after = await FeePlans.GetAsync(default);

        Assert.Equal((20.5m, 7m), (before.TaxRatePercent, after.TaxRatePercent));
        Assert.Equal(before.PlatformFeeBps, after.PlatformFeeBps);
    }

    [Fact]
    public async Task UseTheCellsRulesWithoutAResolvedReseller()
    {
        _overrides.Set("acme", new RuleOverride(GuestCheckout: false));
        _tenants.SetContext(MultiTenantContext<ResellerTenantInfo>.Unresolved);

        Assert.True(await Rules.GuestCheckoutAsync(default));
    }

    private void As(ResellerTenantInfo reseller) => _tenants.SetContext(new MultiTenantContext<ResellerTenantInfo>(reseller));

    private sealed class InMemoryOverrides : IRuleOverrideSource
    {
        private volatile Dictionary<string, RuleOverride> _all = new(StringComparer.Ordinal);

        public void Set(string reseller, RuleOverride rules) => _all = new(_all, StringComparer.Ordinal) { [reseller] = rules };

        public ValueTask<IReadOnlyDictionary<string, RuleOverride>> GetAllAsync(CancellationToken ct) => ValueTask.FromResult<IReadOnlyDictionary<string, RuleOverride>>(_all);
    }
}
