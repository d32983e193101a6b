using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Dynamic pricing end to end: the same scenario in the eu cell (dynamic pricing forbidden) and the us cell (allowed within
/// 80..200 % of face value): an event opts in with its own cap, buyers view it and hold, the worker raises its multiplier in
/// us only, and a hold locks the price it shows. A reseller's override turning it off applies without a restart.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DynamicPricingTests(PlatformFixture platform)
{
    private const string Password = "a-long-enough-password-42";
    private const long Face = 4_500;

    [Theory]
    [InlineData("eu", "acme", false, 100, 100)]
    [InlineData("us", "initech", true, 80, 200)]
    public async Task Demand_raises_the_hold_price_within_the_caps_only_where_the_jurisdiction_allows_dynamic_pricing(
        string cell, string reseller, bool allowed, int min, int max)
    {
        using var storefront = platform.ResellerClient(cell, $"{reseller}.{cell}.localhost");
        var rules = await storefront.GetJsonAsync("/v1/rules");
        Assert.Equal((allowed, min, max),
            ((bool)rules["dynamic_pricing_allowed"]!, (int)rules["dynamic_price_min_percent"]!, (int)rules["dynamic_price_max_percent"]!));

        using var integrator = await platform.IntegratorClientAsync(cell, reseller);
        var (created, seats) = await integrator.CreateReservedEventAsync("Pricing show " + Guid.NewGuid(), 1, 6);
        var eventId = created.Id();
        // the organizer opts in, never above 150 % of face value; out of bounds is a field error, not a 500
        var invalid = await PutJsonAsync(integrator, $"/v1/events/{eventId}/pricing", new { enabled = true, max_percent = 1001 }, HttpStatusCode.BadRequest);
        Assert.True(invalid["errors"]!.AsObject().ContainsKey("max_percent"));
        var pricing = (await PutJsonAsync(integrator, $"/v1/events/{eventId}/pricing", new { enabled = true, max_percent = 150 }, HttpStatusCode.OK))["dynamic_pricing"]!;
        Assert.Equal((true, 150, allowed), ((bool)pricing["enabled"]!, (int)pricing["max_percent"]!, (bool)pricing["applies"]!));

        // demand: 30 views of the event page (score 100 × 0.3 × 30 / 6 = 150: high)
        for (var i = 0; i < 30; i++)
        {
            await storefront.GetJsonAsync($"/v1/events/{eventId}");
        }

        // the worker's passes (every 2 s here): up one step of 10 points a pass in us; nothing changes in eu
        decimal multiplier;
        if (allowed)
        {
            var risen = await Eventually.GetAsync(async () => (await integrator.GetJsonAsync($"/v1/events/{eventId}"))["dynamic_pricing"] is { } p
                && (decimal)p["multiplier"]! >= 1.1m ? p : null, "the multiplier rising with demand", TimeSpan.FromSeconds(60));
            multiplier = (decimal)risen["multiplier"]!;
            Assert.InRange(multiplier, 1.1m, 1.5m);
        }
        else
        {
            await Task.Delay(TimeSpan.FromSeconds(8));
            multiplier = (decimal)(await integrator.GetJsonAsync($"/v1/events/{eventId}"))["dynamic_pricing"]!["multiplier"]!;
            Assert.Equal(1m, multiplier);
        }

        // a signed-in end user holds (us forbids guest checkout); the hold shows face value, multiplier and locked price
        var customer = await SignedInCustomerAsync(cell, reseller);
        var hold = await integrator.PostJsonAsync("/v1/holds", new { event_id = eventId, customer_ref = customer, seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        var held = (decimal)hold["price_multiplier"]!;
        var seat = hold["seats"]![0]!;
        var (price, face) = ((long)seat["price"]!["minor_units"]!, (long)seat["base_price"]!["minor_units"]!);
        Assert.Equal(Face, face);
        if (allowed)
        {
            Assert.InRange(held, 1.1m, 1.5m);
            Assert.Equal((long)Math.Floor(Face * held), price);
        }
        else
        {
            Assert.Equal((1m, Face), (held, price));
        }

        Assert.Equal(price, (long)hold["total"]!["minor_units"]!);
        var read = await integrator.GetJsonAsync($"/v1/holds/{hold.Id()}");
        Assert.Equal((held, price), ((decimal)read["price_multiplier"]!, (long)read["seats"]![0]!["price"]!["minor_units"]!));
    }

    [Fact]
    public async Task A_us_reseller_turning_dynamic_pricing_off_holds_at_face_value_without_a_restart()
    {
        using var operatorClient = await OperatorClientAsync("us");
        using var integrator = await platform.IntegratorClientAsync("us", "initech");
        using var storefront = platform.ResellerClient("us", "initech.us.localhost");
        var (created, seats) = await integrator.CreateReservedEventAsync("Override pricing " + Guid.NewGuid(), 1, 4);
        var eventId = created.Id();
        await PutJsonAsync(integrator, $"/v1/events/{eventId}/pricing", new { enabled = true }, HttpStatusCode.OK);
        for (var i = 0; i < 30; i++)
        {
            await storefront.GetJsonAsync($"/v1/events/{eventId}");
        }

        await Eventually.GetAsync(async () => (await integrator.GetJsonAsync($"/v1/events/{eventId}"))["dynamic_pricing"] is { } p
            && (decimal)p["multiplier"]! > 1m ? p : null, "the us multiplier rising above face value", TimeSpan.FromSeconds(60));
        var customer = await SignedInCustomerAsync("us", "initech");
        try
        {
            await PutJsonAsync(operatorClient, "/v1/admin/resellers/initech/rules", new { dynamic_pricing_allowed = false }, HttpStatusCode.OK);
            // every API replica and the worker re-read the overrides within CatalogRuleOverrides.CacheFor
            await Task.Delay(CatalogRuleOverrides.CacheFor + TimeSpan.FromSeconds(1));

            Assert.False((bool)(await storefront.GetJsonAsync("/v1/rules"))["dynamic_pricing_allowed"]!);
            for (var i = 0; i < 2; i++)
            {
                var hold = await integrator.PostJsonAsync("/v1/holds", new { event_id = eventId, customer_ref = customer, seat_ids = seats.Skip(i).Take(1) }, HttpStatusCode.Created);
                Assert.Equal((1m, Face), ((decimal)hold["price_multiplier"]!, (long)hold["total"]!["minor_units"]!));
            }

            var pricing = (await integrator.GetJsonAsync($"/v1/events/{eventId}"))["dynamic_pricing"]!;
            Assert.Equal((false, 1m), ((bool)pricing["applies"]!, (decimal)pricing["multiplier"]!));
        }
        finally
        {
            await PutJsonAsync(operatorClient, "/v1/admin/resellers/initech/rules", new { }, HttpStatusCode.OK);
            await Task.Delay(CatalogRuleOverrides.CacheFor + TimeSpan.FromSeconds(1));
        }

        Assert.True((bool)(await storefront.GetJsonAsync("/v1/rules"))["dynamic_pricing_allowed"]!);
    }

    private async Task<string> SignedInCustomerAsync(string cell, string reseller)
    {
        using var browser = new Browser(platform, cell);
        var tokens = await browser.SignInAsync(reseller, $"pricing-{Guid.NewGuid():N}@example.com", Password, register: true);
        return "user:" + Tokens.Read((string)tokens["access_token"]!).Subject;
    }

    private async Task<HttpClient> OperatorClientAsync(string cell)
    {
        var token = await Tokens.ClientCredentialsAsync(platform, cell, "platform", $"{cell}-operator", PlatformFixture.StaffSecret(cell, "operator"), "operator");
        var http = new HttpClient { BaseAddress = platform.App.GetEndpoint($"{cell}-api", "http") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    private static async Task<JsonObject> PutJsonAsync(HttpClient http, string path, object body, HttpStatusCode expected)
    {
        using var response = await http.PutAsJsonAsync(path, body, PlatformFixture.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"PUT {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
