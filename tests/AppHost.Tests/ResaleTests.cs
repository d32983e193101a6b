using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The resale marketplace end to end, the same scenario in two jurisdictions with opposite settings: eu caps the asking
/// price at face value, us at +20 % (regions/*.json); uk bans resale (<see cref="UkCellTests"/>). Buyers race for one
/// listing; the ticket moves with a new code; the ledger records the commission and the seller's payout; the organizer
/// turns resale off per event; an operator's override takes effect without a restart.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ResaleTests(PlatformFixture platform)
{
    private const string Password = "a-long-enough-password-42";
    private const long Face = 4500;   // Api.ReservedEvent's price

    [Theory]
    [InlineData("eu", "acme", 100)]
    [InlineData("us", "initech", 120)]
    public async Task A_ticket_is_resold_once_under_its_cells_cap_with_a_new_code_and_the_money_in_the_ledger(string cell, string reseller, int cap)
    {
        using var integrator = await platform.IntegratorClientAsync(cell, reseller);
        var (created, seats) = await integrator.CreateReservedEventAsync("Resale show " + Guid.NewGuid(), 1, 2);
        // signed-in end users (us forbids guest checkout): the seller buys a ticket, two buyers race for it
        var (seller, sellerRef) = await EndUserAsync(cell, reseller, "seller");
        var (_, buyerOne) = await EndUserAsync(cell, reseller, "buyer1");
        var (_, buyerTwo) = await EndUserAsync(cell, reseller, "buyer2");
        var sold = await seller.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        var order = await seller.PayAndConfirmAsync(sold.Id());
        var ticket = order["tickets"]![0]!;
        var (ticketId, oldCode) = (ticket.Id(), (string)ticket["code"]!);

        // +10 %: above eu's cap, within us's; at the cap is fine everywhere
        var tenPercentUp = Face * 110 / 100;
        var capped = Face * cap / 100;
        if (cap < 110)
        {
            var refused = await seller.PostJsonAsync($"/v1/tickets/{ticketId}/resale", new { asking_price_minor = tenPercentUp }, HttpStatusCode.UnprocessableEntity);
            Assert.Equal(("resale_price_above_cap", capped), ((string)refused["code"]!, (long)refused["max_price_minor"]!));
        }

        var asking = Math.Min(tenPercentUp, capped);
        await seller.PostJsonAsync($"/v1/tickets/{ticketId}/resale", new { asking_price_minor = capped + 1 }, HttpStatusCode.UnprocessableEntity);
        var listing = await seller.PostJsonAsync($"/v1/tickets/{ticketId}/resale", new { asking_price_minor = asking }, HttpStatusCode.Created);
        Assert.Equal((asking, cap), ((long)listing["asking_price"]!["minor_units"]!, (int)listing["cap_percent"]!));
        using var storefront = platform.ResellerClient(cell, $"{reseller}.{cell}.localhost");
        var browse = await storefront.GetJsonAsync($"/v1/events/{created.Id()}/resale");
        Assert.Equal(listing.Id(), Assert.Single(browse["listings"]!.AsArray())!.Id());

        // 12 attempts of two buyers at once: one hold, the rest 409 listing_unavailable
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var response = await integrator.PostAsJsonAsync($"/v1/resale/{listing.Id()}/hold",
                new { customer_ref = i % 2 == 0 ? buyerOne : buyerTwo }, PlatformFixture.Json);
            return (response.StatusCode, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }));
        var won = Assert.Single(attempts, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(attempts.Where(a => a.StatusCode != HttpStatusCode.Created), a =>
            Assert.Equal((HttpStatusCode.Conflict, "listing_unavailable"), (a.StatusCode, (string)a.Body["code"]!)));

        // the same payment and confirm path as any hold
        var bought = await integrator.PayAndConfirmAsync(won.Body.Id());
        var newTicket = Assert.Single(bought["tickets"]!.AsArray())!;
        Assert.Equal(("valid", asking), ((string)newTicket["status"]!, (long)newTicket["price"]!["minor_units"]!));
        Assert.NotEqual(oldCode, (string)newTicket["code"]!);
        var old = await seller.GetJsonAsync($"/v1/tickets/{ticketId}");
        Assert.Equal(("resold", null), ((string)old["status"]!, (string?)old["code"]));
        Assert.Empty((await storefront.GetJsonAsync($"/v1/events/{created.Id()}/resale"))["listings"]!.AsArray());
        await integrator.PostJsonAsync($"/v1/resale/{listing.Id()}/hold", new { customer_ref = buyerTwo }, HttpStatusCode.Conflict);

        await using var db = await platform.OpenDatabaseAsync(cell, $"reseller_{reseller}");
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM tickets WHERE seat_id = (SELECT seat_id FROM tickets WHERE id = $1) AND status = 'valid'", Guid.Parse(ticketId)));
        // the seller is owed the asking price less 10 % commission; the entry balances
        Assert.Equal(asking - (asking / 10), await ScalarAsync(db, """
            SELECT sum(l.credit_minor)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
            WHERE e.kind = 'resale' AND e.order_id = $1 AND l.account = 'seller_payable'
            """, Guid.Parse(bought.Id())));
        Assert.Equal(0L, await ScalarAsync(db, """
            SELECT count(*) FROM (SELECT e.id FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id WHERE e.order_id = $1
                                  GROUP BY e.id HAVING sum(l.debit_minor) <> sum(l.credit_minor)) unbalanced
            """, Guid.Parse(bought.Id())));
        Assert.StartsWith("user:", sellerRef, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eu", "acme")]
    [InlineData("us", "initech")]
    public async Task The_organizer_turns_resale_off_for_one_event(string cell, string reseller)
    {
        using var integrator = await platform.IntegratorClientAsync(cell, reseller);
        var (created, seats) = await integrator.CreateReservedEventAsync("No resale show " + Guid.NewGuid(), 1, 1);
        var (seller, _) = await EndUserAsync(cell, reseller, "organizer-off");
        var order = await seller.PayAndConfirmAsync((await seller.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats }, HttpStatusCode.Created)).Id());

        using var policy = await integrator.PutAsJsonAsync($"/v1/events/{created.Id()}/ticket-policy", new { resale_allowed = false }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);

        var refused = await seller.PostJsonAsync($"/v1/tickets/{order["tickets"]![0]!.Id()}/resale", new { asking_price_minor = Face }, HttpStatusCode.Forbidden);
        Assert.Equal("resale_not_allowed", (string)refused["code"]!);
        Assert.False((bool)(await integrator.GetJsonAsync($"/v1/events/{created.Id()}"))["resale_allowed"]!);
    }

    [Fact]
    public async Task A_resellers_override_turns_resale_off_without_a_restart()
    {
        using var op = await OperatorClientAsync("eu");
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await acme.CreateReservedEventAsync("Override resale " + Guid.NewGuid(), 1, 2);
        var first = await acme.PayAndConfirmAsync((await acme.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "ovr-a", seat_ids = seats.Take(1) }, HttpStatusCode.Created)).Id());
        var second = await acme.PayAndConfirmAsync((await acme.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "ovr-b", seat_ids = seats.Skip(1) }, HttpStatusCode.Created)).Id());
        var listing = await acme.PostJsonAsync($"/v1/tickets/{first["tickets"]![0]!.Id()}/resale", new { asking_price_minor = Face }, HttpStatusCode.Created);
        try
        {
            await PutAsync(op, "/v1/admin/resellers/acme/rules", new { resale_allowed = false });
            await Task.Delay(CatalogRuleOverrides.CacheFor + TimeSpan.FromSeconds(1));
            for (var i = 0; i < 4; i++)
            {
                // every replica: no new listing, and an open listing cannot be bought
                var refused = await acme.PostJsonAsync($"/v1/tickets/{second["tickets"]![0]!.Id()}/resale", new { asking_price_minor = Face }, HttpStatusCode.Forbidden);
                Assert.Equal("resale_not_allowed", (string)refused["code"]!);
                await acme.PostJsonAsync($"/v1/resale/{listing.Id()}/hold", new { customer_ref = "ovr-c" }, HttpStatusCode.Forbidden);
            }
        }
        finally
        {
            await PutAsync(op, "/v1/admin/resellers/acme/rules", new { });
            await Task.Delay(CatalogRuleOverrides.CacheFor + TimeSpan.FromSeconds(1));
        }

        await acme.PostJsonAsync($"/v1/resale/{listing.Id()}/hold", new { customer_ref = "ovr-c" }, HttpStatusCode.Created);
    }

    private async Task<(HttpClient Client, string CustomerRef)> EndUserAsync(string cell, string reseller, string who)
    {
        using var browser = new Browser(platform, cell);
        var tokens = await browser.SignInAsync(reseller, $"{who}-{Guid.NewGuid():N}@example.com", Password, register: true);
        var token = (string)tokens["access_token"]!;
        var http = new HttpClient { BaseAddress = platform.App.GetEndpoint($"{cell}-api", "http"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return (http, $"user:{Tokens.Read(token).Subject}");
    }

    private async Task<HttpClient> OperatorClientAsync(string cell)
    {
        var token = await Tokens.ClientCredentialsAsync(platform, cell, "platform", $"{cell}-operator", PlatformFixture.StaffSecret(cell, "operator"), "operator");
        var http = new HttpClient { BaseAddress = platform.App.GetEndpoint($"{cell}-api", "http") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    private static async Task PutAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PutAsJsonAsync(path, body, PlatformFixture.Json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql, object value)
    {
        await using var cmd = new NpgsqlCommand(sql, db);
        cmd.Parameters.Add(new() { Value = value });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
