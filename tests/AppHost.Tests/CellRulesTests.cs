using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The cell rules end to end: the same scenario in the eu cell (guest checkout allowed) and the us cell (not allowed,
/// regions/us.json), and a reseller's own override set by an operator applied without a restart.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CellRulesTests(PlatformFixture platform)
{
    private const string Password = "a-long-enough-password-42";

    [Theory]
    [InlineData("eu", "acme", true, "EUR", 20, 730)]
    [InlineData("us", "initech", false, "USD", 0, 1095)]
    public async Task A_guest_holds_only_where_the_cell_allows_guest_checkout_and_a_signed_in_end_user_holds_everywhere(
        string cell, string reseller, bool guestCheckout, string currency, int taxRate, int retentionDays)
    {
        // the storefront asks what applies to it, by host, without a token
        using var storefront = platform.ResellerClient(cell, $"{reseller}.{cell}.localhost");
        var rules = await storefront.GetJsonAsync("/v1/rules");
        Assert.Equal((cell, currency, guestCheckout, taxRate, retentionDays),
            ((string)rules["cell"]!, (string)rules["currency"]!, (bool)rules["guest_checkout"]!, (int)rules["tax_rate_percent"]!, (int)rules["data_retention_days"]!));

        using var integrator = await platform.IntegratorClientAsync(cell, reseller);
        var (created, seats) = await integrator.CreateReservedEventAsync("Rules show " + Guid.NewGuid(), 1, 4);

        // an integrator holding for a customer reference of its own: a guest
        var guest = new { event_id = created.Id(), customer_ref = "guest-" + Guid.NewGuid().ToString("N")[..8], seat_ids = seats.Take(1) };
        if (guestCheckout)
        {
            await integrator.PostJsonAsync("/v1/holds", guest, HttpStatusCode.Created);
        }
        else
        {
            var refused = await integrator.PostJsonAsync("/v1/holds", guest, HttpStatusCode.Forbidden);
            Assert.Equal(("guest_checkout_forbidden", "guest_checkout"), ((string)refused["code"]!, (string)refused["rule"]!));
            Assert.Contains("signed-in end user", (string)refused["detail"]!, StringComparison.Ordinal);
            // naming an account that does not exist is still a guest
            await integrator.PostJsonAsync("/v1/holds", guest with { customer_ref = $"user:{Guid.NewGuid()}" }, HttpStatusCode.Forbidden);
        }

        // a waitlist entry is a hold to come: a guest may not queue for one where it could not hold
        var classId = (string)created["ticket_classes"]![0]!["id"]!;
        var join = new { class_id = classId, quantity = 1, customer_ref = guest.customer_ref };
        if (guestCheckout)
        {
            var notSoldOut = await integrator.PostJsonAsync($"/v1/events/{created.Id()}/waitlist", join, HttpStatusCode.Conflict);
            Assert.Equal("waitlist_not_sold_out", (string)notSoldOut["code"]!);
        }
        else
        {
            var queued = await integrator.PostJsonAsync($"/v1/events/{created.Id()}/waitlist", join, HttpStatusCode.Forbidden);
            Assert.Equal("guest_checkout_forbidden", (string)queued["code"]!);
        }

        // a signed-in end user holds in both cells, themselves or through the integrator naming their account
        using var browser = new Browser(platform, cell);
        var tokens = await browser.SignInAsync(reseller, $"rules-{Guid.NewGuid():N}@example.com", Password, register: true);
        var subject = Tokens.Read((string)tokens["access_token"]!).Subject;
        using var me = new HttpClient { BaseAddress = platform.App.GetEndpoint($"{cell}-api", "http") };
        me.DefaultRequestHeaders.Authorization = new("Bearer", (string)tokens["access_token"]!);
        await me.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats.Skip(1).Take(1) }, HttpStatusCode.Created);
        await integrator.PostJsonAsync("/v1/holds", guest with { customer_ref = $"user:{subject}", seat_ids = seats.Skip(2).Take(1) }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_reseller_turns_guest_checkout_off_for_itself_without_a_restart_and_may_not_turn_it_on_where_its_cell_forbids_it()
    {
        using var eu = await OperatorClientAsync("eu");
        using var us = await OperatorClientAsync("us");
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        using var globexStorefront = platform.ResellerClient("eu", "globex.eu.localhost");
        var (created, seats) = await acme.CreateReservedEventAsync("Override show " + Guid.NewGuid(), 1, 3);
        try
        {
            var set = await PutJsonAsync(eu, "/v1/admin/resellers/acme/rules", new { guest_checkout = false, resale_price_cap_percent = 90 }, HttpStatusCode.OK);
            Assert.False((bool)set["guest_checkout"]!);
            // every replica re-reads the overrides within CatalogRuleOverrides.CacheFor
            await Task.Delay(CatalogRuleOverrides.CacheFor + TimeSpan.FromSeconds(1));
            for (var i = 0; i < 4; i++)
            {
                var rules = await acme.GetJsonAsync("/v1/rules");
                Assert.Equal((false, 90), ((bool)rules["guest_checkout"]!, (int)rules["resale_price_cap_percent"]!));
                var refused = await acme.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "guest-x", seat_ids = seats.Take(1) }, HttpStatusCode.Forbidden);
                Assert.Equal("guest_checkout_forbidden", (string)refused["code"]!);
            }

            // the cell's other reseller keeps the cell's rules
            var globex = await globexStorefront.GetJsonAsync("/v1/rules");
            Assert.Equal((true, 100), ((bool)globex["guest_checkout"]!, (int)globex["resale_price_cap_percent"]!));

            // a reseller narrows its cell, never widens it
            var widen = await PutJsonAsync(us, "/v1/admin/resellers/initech/rules", new { guest_checkout = true }, HttpStatusCode.BadRequest);
            Assert.True(widen["errors"]!.AsObject().ContainsKey("guest_checkout"));
            await PutJsonAsync(eu, "/v1/admin/resellers/acme/rules", new { resale_price_cap_percent = 101 }, HttpStatusCode.BadRequest);
        }
        finally
        {
            await PutJsonAsync(eu, "/v1/admin/resellers/acme/rules", new { }, HttpStatusCode.OK);
            await Task.Delay(CatalogRuleOverrides.CacheFor + TimeSpan.FromSeconds(1));
        }

        var back = await acme.GetJsonAsync("/v1/rules");
        Assert.True((bool)back["guest_checkout"]!);
        await acme.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "guest-x", seat_ids = seats.Take(1) }, HttpStatusCode.Created);
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
