using Aspire.Hosting;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The third cell file, regions/uk.json, started as it is (no code of the AppHost names it): its reseller gets the uk
/// rules and GBP from <c>GET /v1/rules</c>, directly and through the router, holds in GBP, and pays the uk tax rate
/// (17.5 %, the rules' value, not another cell's); resale and transfers are refused there. Its own AppHost with the uk cell alone and one API replica, so the
/// shared fixture (<see cref="PlatformFixture.Cells"/>) never starts it.
/// </summary>
public sealed class UkCellTests : IAsyncLifetime
{
    private const string Reseller = "vandelay";
    private const string Host = "vandelay.uk.localhost";
    private OwnAppHost? _host;

    public async Task InitializeAsync()
    {
        _host = await OwnAppHost.StartAsync("ta-uk",
            ["TicketAspire:Cells=uk", "TicketAspire:Durable=false", "TicketAspire:ApiReplicas=1",
             $"Parameters:uk-{Reseller}-client-secret={PlatformFixture.ClientSecret(Reseller)}"],
            ["uk-api", "uk-identity", "uk-payments", $"uk-{Reseller}-db", "router"]);
        using var cts = new CancellationTokenSource(PlatformFixture.StartTimeout);
        // the router is healthy before its own health probe has found uk-api (until then: 503 cell.unavailable)
        using var router = new HttpClient { BaseAddress = _host.App.GetEndpoint("router", "http") };
        router.DefaultRequestHeaders.Host = Host;
        await Eventually.GetAsync(async () =>
        {
            using var response = await router.GetAsync("/v1/rules", cts.Token);
            return response.IsSuccessStatusCode ? response.StatusCode.ToString() : null;
        }, "the router reaching uk-api", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_uk_reseller_gets_the_uk_rules_in_gbp_holds_in_gbp_and_pays_the_uk_tax()
    {
        var app = _host!.App;
        // the storefront asks what applies, by host, without a token: at the cell's API and through the router
        foreach (var edge in new[] { app.GetEndpoint("uk-api", "http"), app.GetEndpoint("router", "http") })
        {
            using var storefront = new HttpClient { BaseAddress = edge };
            storefront.DefaultRequestHeaders.Host = Host;
            var rules = await storefront.GetJsonAsync("/v1/rules");
            Assert.Equal(("uk", "GBP", true, false, 110, false, false, 2190, 17.5m),
                ((string)rules["cell"]!, (string)rules["currency"]!, (bool)rules["guest_checkout"]!, (bool)rules["resale_allowed"]!,
                 (int)rules["resale_price_cap_percent"]!, (bool)rules["transfers_allowed"]!, (bool)rules["dynamic_pricing_allowed"]!,
                 (int)rules["data_retention_days"]!, (decimal)rules["tax_rate_percent"]!));
        }

        using var identity = new HttpClient { BaseAddress = app.GetEndpoint("uk-identity", "http") };
        var token = await Tokens.ClientCredentialsAsync(identity, Reseller, $"{Reseller}-backend", PlatformFixture.ClientSecret(Reseller), Tokens.AllIntegratorScopes);
        using var http = new HttpClient { BaseAddress = app.GetEndpoint("uk-api", "http"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Host = Host;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var (created, seats) = await http.CreateReservedEventAsync("London show " + Guid.NewGuid(), 1, 2);
        Assert.Equal("GBP", (string)created["currency"]!);
        // guest checkout is allowed in the uk: the integrator holds for a customer reference of its own
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "guest-uk", seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        Assert.Equal((4500L, "GBP"), ((long)hold["total"]!["minor_units"]!, (string)hold["total"]!["currency"]!));

        // the price the buyer pays carries the uk tax: round((subtotal + platform fee) × 17.5 %), the rules' rate
        var payment = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/payment", new { }, HttpStatusCode.OK);
        var price = payment["price"]!;
        long Minor(string field) => (long)price[field]!["minor_units"]!;
        Assert.Equal("GBP", (string)price["tax"]!["currency"]!);
        Assert.Equal(4500L, Minor("subtotal"));
        Assert.Equal(248L + 40L, Minor("platform_fee"));   // regions/uk.json: 550 bps (247.5, half up) + 40 per ticket
        Assert.Equal((long)Math.Round((4500m + 288m) * 17.5m / 100m, MidpointRounding.AwayFromZero), Minor("tax"));
        Assert.Equal(Minor("subtotal") + Minor("platform_fee") + Minor("processing_fee") + Minor("tax"), Minor("total"));

        // resale is banned in the uk (regions/uk.json): a paid ticket cannot be listed, even at face value; the same
        // scenario sells in eu and us (ResaleTests)
        await Api.PayAtPspAsync(payment, Cards.Success);
        var order = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/confirm", new { }, HttpStatusCode.OK);
        var refused = await http.PostJsonAsync($"/v1/tickets/{order["tickets"]![0]!.Id()}/resale", new { asking_price_minor = 4500 }, HttpStatusCode.Forbidden);
        Assert.Equal("resale_not_allowed", (string)refused["code"]!);

        // so are transfers (regions/uk.json transfers_allowed false), though the event allows them; the same scenario
        // transfers in eu and us (TransferTests)
        Assert.True((bool)(await http.GetJsonAsync($"/v1/events/{created.Id()}"))["transfers_allowed"]!);
        var noTransfer = await http.PostJsonAsync($"/v1/tickets/{order["tickets"]![0]!.Id()}/transfer", new { to_email = "friend@example.com" }, HttpStatusCode.Forbidden);
        Assert.Equal("transfer_not_allowed", (string)noTransfer["code"]!);
        Assert.Contains("jurisdiction", (string)noTransfer["detail"]!, StringComparison.Ordinal);
    }
}
