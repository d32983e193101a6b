using TicketAspire.AppHost.Extensions;

namespace TicketAspire.AppHost.Tests;

public sealed class CellFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ta-cells-").FullName;

    [Fact]
    public void The_shipped_regions_are_valid()
    {
        var regions = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "regions"));
        var cells = CellFile.LoadAll(regions);
        Assert.Equal(new[] { "eu", "uk", "us" }, cells.Select(c => c.Id));
        var (eu, uk, us) = (cells[0], cells[1], cells[2]);
        Assert.Equal(2, eu.Resellers.Count);
        Assert.Single(uk.Resellers);
        Assert.Single(us.Resellers);
        Assert.Equal((500, 550, 600), (eu.Fees!.PlatformFeeBps, uk.Fees!.PlatformFeeBps, us.Fees!.PlatformFeeBps));
        Assert.Contains(("PlatformFeeBps", "450"), eu.Resellers[1].Fees!.Settings());
        Assert.Equal(new[] { 5103, 5303, 5203 }, cells.Select(c => c.PaymentsPortOrDefault));
        // three jurisdictions, three sets of rules
        Assert.Equal(("GBP", new CellRules(false, 110, false, true, 2190, 17.5m, TransfersAllowed: false)), (uk.Currency, uk.Rules));
        Assert.Equal(3, cells.Select(c => c.Rules).Distinct().Count());
        // dynamic pricing: on in us within 80..200 % of face value; eu and uk keep face value
        Assert.Equal((true, 80, 200), (us.Rules!.DynamicPricingAllowed, us.Rules.DynamicPriceMinPercent, us.Rules.DynamicPriceMaxPercent));
        Assert.Equal((false, 100, 100), (eu.Rules!.DynamicPricingAllowed, eu.Rules.DynamicPriceMinPercent, eu.Rules.DynamicPriceMaxPercent));
        Assert.Equal(3, cells.Select(c => c.Currency).Distinct().Count());
    }

    [Fact]
    public void The_shipped_cell_files_keep_webhook_ssrf_protection_on()
    {
        // a development cell lets its resellers send webhooks to loopback and private addresses; no shipped file may be one
        var regions = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "regions"));
        var files = Directory.GetFiles(regions, "*.json");
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(CellFile.Load(file).Development, $"{file} is a development cell"));
    }

    [Fact]
    public void Forwarded_headers_become_the_services_settings()
    {
        var path = Path.Combine(_dir, "fw.json");
        File.WriteAllText(path, """{"id":"fw","jurisdiction":"J","currency":"EUR","api_port":5101,"forwarded_headers":{"known_proxies":["10.0.0.5"],"known_networks":["10.1.0.0/16","fd00::/8"],"forward_limit":2},"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""");

        Assert.Equal(
            [("KnownProxies__0", "10.0.0.5"), ("KnownNetworks__0", "10.1.0.0/16"), ("KnownNetworks__1", "fd00::/8"), ("ForwardLimit", "2")],
            CellFile.Load(path).ForwardedHeaders!.Settings());
    }

    [Fact]
    public void The_shipped_cells_give_their_request_budgets_and_a_reseller_its_own()
    {
        var regions = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "regions"));
        var eu = CellFile.Load(Path.Combine(regions, "eu.json"));

        var settings = CellTrustExtensions.RateLimitSettings(eu).ToList();

        Assert.Contains(("RateLimiting__Integrator__PermitLimit", "120000"), settings);
        Assert.Contains(("RateLimiting__Integrator__Window", "00:01:00"), settings);
        Assert.Contains(("RateLimiting__AnonymousWrite__PermitLimit", "60"), settings);
        Assert.Contains(("Resellers__globex__RateLimiting__Integrator__PermitLimit", "300000"), settings);
        Assert.DoesNotContain(settings, s => s.Name.StartsWith("Resellers__acme__", StringComparison.Ordinal));
        // the Kubernetes overlay carries the same budgets
        Assert.All(settings, s => Assert.Contains(new KeyValuePair<string, string>(s.Name, s.Value), TicketAspire.AppHost.Deploy.CellConfiguration.Shared(eu)));
    }

    [Fact]
    public void Rate_limits_of_a_reseller_become_settings_of_its_own()
    {
        var path = Path.Combine(_dir, "rl.json");
        File.WriteAllText(path, """{"id":"rl","jurisdiction":"J","currency":"EUR","api_port":5101,"rate_limits":{"customer_writes_per_minute":10},"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"],"rate_limits":{"integrator_per_minute":250000,"anonymous_per_minute":900}}]}""");

        Assert.Equal(
            [("RateLimiting__CustomerWrite__PermitLimit", "10"), ("RateLimiting__CustomerWrite__Window", "00:01:00"),
             ("Resellers__a1__RateLimiting__Integrator__PermitLimit", "250000"), ("Resellers__a1__RateLimiting__Integrator__Window", "00:01:00"),
             ("Resellers__a1__RateLimiting__Anonymous__PermitLimit", "900"), ("Resellers__a1__RateLimiting__Anonymous__Window", "00:01:00")],
            CellTrustExtensions.RateLimitSettings(CellFile.Load(path)));
    }

    [Theory]
    [InlineData("""{"id":"xx","jurisdiction":"J","currency":"EUR","api_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "id")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"euro","api_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "currency")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":80,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "api_port")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"payments_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "payments_port")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"identity_port":5103,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "payments_port")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"payments_port":80,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "payments_port")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"resellers":[]}""", "resellers")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"resellers":[{"id":"A B","name":"A","hosts":["a.localhost"]}]}""", "resellers[0].id")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["not a host"]}]}""", "resellers[0].hosts[0]")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"redis_server":"memcached","resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "redis_server")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"surprise":1,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "$")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"fees":{"platform_fee_bps":10001},"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "fees.platform_fee_bps")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"],"fees":{"chargeback_fee_minor":-1}}]}""", "resellers[0].fees.chargeback_fee_minor")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"forwarded_headers":{"known_proxies":["lb.internal"]},"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "forwarded_headers.known_proxies[0]")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"forwarded_headers":{"known_networks":["10.0.0.0/33"]},"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "forwarded_headers.known_networks[0]")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"forwarded_headers":{"forward_limit":0},"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "forwarded_headers.forward_limit")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"rate_limits":{"integrator_per_minute":0},"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"]}]}""", "rate_limits.integrator_per_minute")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"],"rate_limits":{"staff_per_minute":1000001}}]}""", "resellers[0].rate_limits.staff_per_minute")]
    [InlineData("""{"id":"bad","jurisdiction":"J","currency":"EUR","api_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["a.localhost"],"rate_limits":{"integrator_per_second":10}}]}""", "$")]
    public void A_bad_cell_file_names_the_file_and_the_field(string json, string field)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<CellFileException>(() => CellFile.Load(path));
        Assert.Equal(path, ex.File);
        Assert.StartsWith(field, ex.Field, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_or_a_port_of_two_cells_stops_start_up()
    {
        File.WriteAllText(Path.Combine(_dir, "aa.json"), """{"id":"aa","jurisdiction":"A","currency":"EUR","api_port":5101,"resellers":[{"id":"a1","name":"A","hosts":["shop.localhost"]}]}""");
        File.WriteAllText(Path.Combine(_dir, "bb.json"), """{"id":"bb","jurisdiction":"B","currency":"GBP","api_port":5201,"resellers":[{"id":"b1","name":"B","hosts":["SHOP.localhost"]}]}""");
        var ex = Assert.Throws<CellFileException>(() => CellFile.LoadAll(_dir));
        Assert.Contains("'SHOP.localhost' is a host of cell 'aa' too", ex.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_dir, "bb.json"), """{"id":"bb","jurisdiction":"B","currency":"GBP","api_port":5102,"resellers":[{"id":"b1","name":"B","hosts":["b.localhost"]}]}""");
        Assert.Equal("api_port", Assert.Throws<CellFileException>(() => CellFile.LoadAll(_dir)).Field);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
