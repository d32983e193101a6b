using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Season passes through the running AppHost: a pass over three events is public to read; buying it holds one seat label
/// in every event, and a second buyer of that seat is refused naming the events; one payment at the PSP simulator sells
/// an order with one ticket per event whose totals sum to what was paid; the PSP's webhook of that payment is applied to
/// the purchase, never taken for a hold's; a flex pass's credits, redeemed all at once, give no more tickets than it has
/// credits; bad input is answered 400 problem details.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PassesTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_season_pass_holds_one_seat_in_every_event_and_one_payment_sells_a_ticket_for_each()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var eventIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (created, _) = await acme.CreateReservedEventAsync($"Season game {i} {Guid.NewGuid()}", 2, 5);
            eventIds.Add(created.Id());
        }

        var pass = await acme.PostJsonAsync("/v1/passes", new { name = "Season 2027", kind = "season", event_ids = eventIds, price_minor = 12_000 },
            HttpStatusCode.Created);
        Assert.Equal(("season", 3, 12_000L), ((string)pass["kind"]!, pass["events"]!.AsArray().Count, (long)pass["price"]!["minor_units"]!));
        using (var anonymous = platform.ResellerClient("eu", "acme.eu.localhost"))
        {
            Assert.Equal(pass.Id(), (await anonymous.GetJsonAsync($"/v1/passes/{pass.Id()}")).Id());
            Assert.Contains((await anonymous.GetJsonAsync("/v1/passes"))["items"]!.AsArray(), p => p!.Id() == pass.Id());
        }

        var customer = $"season-{Guid.NewGuid():N}";
        var purchase = await acme.PostJsonAsync($"/v1/passes/{pass.Id()}/purchases",
            new { customer_ref = customer, customer_email = $"{customer}@example.com", section = "A", row = "2", number = "3" }, HttpStatusCode.Created);
        Assert.Equal(("held", 3), ((string)purchase["status"]!, purchase["events"]!.AsArray().Count));

        // the same seat for someone else: refused, naming every event where it is taken, nothing held
        var taken = await acme.PostJsonAsync($"/v1/passes/{pass.Id()}/purchases",
            new { customer_ref = $"other-{Guid.NewGuid():N}", section = "A", row = "2", number = "3" }, HttpStatusCode.Conflict);
        Assert.Equal("seat_unavailable", (string)taken["code"]!);
        Assert.Equal(eventIds.Order(), taken["event_ids"]!.AsArray().Select(e => (string)e!).Order());

        // a hold of the pass is paid with the pass only
        var refused = await acme.PostJsonAsync($"/v1/holds/{(string)purchase["events"]![0]!["hold_id"]!}/payment", new { }, HttpStatusCode.Conflict);
        Assert.Equal("hold_not_active", (string)refused["code"]!);
        // nothing paid yet: confirming says how to start
        Assert.Equal("payment_required",
            (string)(await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/confirm", new { }, HttpStatusCode.Conflict))["code"]!);

        var payment = await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/payment", new { }, HttpStatusCode.OK);
        var total = (long)payment["price"]!["total"]!["minor_units"]!;
        await Api.PayAtPspAsync(payment, Cards.Success);
        var paid = await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/confirm", new { }, HttpStatusCode.OK);

        Assert.Equal("paid", (string)paid["status"]!);
        var intentId = (string)payment["psp"]!["payment_intent_id"]!;
        long sum = 0;
        foreach (var e in paid["events"]!.AsArray())
        {
            var order = await acme.GetJsonAsync($"/v1/orders/{(string)e!["order_id"]!}");
            Assert.Equal((string)e["event_id"]!, (string)order["event_id"]!);
            Assert.Equal((1, intentId), (order["tickets"]!.AsArray().Count, (string)order["payment_reference"]!));
            sum += (long)order["total"]!["minor_units"]!;
        }

        Assert.Equal(total, sum);
        var again = await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/confirm", new { }, HttpStatusCode.OK);
        Assert.Equal(paid["events"]!.ToJsonString(), again["events"]!.ToJsonString());

        // the PSP's webhook of the pass's payment is applied to the purchase (already paid: nothing more sold)
        var outcome = await Eventually.GetAsync(async () => await WebhookOutcomeAsync(intentId), "the PSP's success webhook");
        Assert.Equal("pass_purchase_paid", outcome);
        await using (var db = await platform.OpenDatabaseAsync("eu", "reseller_acme"))
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM tickets WHERE event_id = ANY($1)", db)
            { Parameters = { new() { Value = eventIds.Select(Guid.Parse).ToArray() } } };
            Assert.Equal(3L, (long)(await count.ExecuteScalarAsync())!);
        }

        // another reseller never sees it
        using var globex = await platform.IntegratorClientAsync("eu", "globex");
        await globex.GetJsonAsync($"/v1/pass-purchases/{purchase.Id()}", HttpStatusCode.NotFound);
        await globex.GetJsonAsync($"/v1/passes/{pass.Id()}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_flex_pass_is_paid_once_and_its_credits_are_redeemed_one_event_each_never_more_than_bought()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var events = new List<(string Id, string ClassId)>();
        for (var i = 0; i < 5; i++)
        {
            var created = await acme.PostJsonAsync("/v1/events", Api.GaEvent($"Flex night {i} {Guid.NewGuid()}", 20), HttpStatusCode.Created);
            events.Add((created.Id(), (string)created["ticket_classes"]![0]!["id"]!));
        }

        var pass = await acme.PostJsonAsync("/v1/passes", new { name = "Any 3 nights", kind = "flex", event_ids = events.Select(e => e.Id), price_minor = 24_000, credits = 3 },
            HttpStatusCode.Created);
        Assert.Equal(3, (int)pass["credits"]!);
        var customer = $"flex-{Guid.NewGuid():N}";
        var purchase = await acme.PostJsonAsync($"/v1/passes/{pass.Id()}/purchases", new { customer_ref = customer }, HttpStatusCode.Created);
        Assert.Equal(("flex", "held"), ((string)purchase["kind"]!, (string)purchase["status"]!));
        // nothing to redeem before the payment
        Assert.Equal("pass_redemption_refused", (string)(await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/redemptions",
            new { event_id = events[0].Id, class_id = events[0].ClassId }, HttpStatusCode.Conflict))["code"]!);

        var payment = await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/payment", new { }, HttpStatusCode.OK);
        var total = (long)payment["price"]!["total"]!["minor_units"]!;
        await Api.PayAtPspAsync(payment, Cards.Success);
        var paid = await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/confirm", new { }, HttpStatusCode.OK);
        Assert.Equal(("paid", 3), ((string)paid["status"]!, (int)paid["credits_left"]!));

        // 10 redemptions at once over the 5 nights: 3 tickets, one per night, no more
        var attempts = Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await acme.PostAsJsonAsync($"/v1/pass-purchases/{purchase.Id()}/redemptions",
                new { event_id = events[i % 5].Id, class_id = events[i % 5].ClassId }, PlatformFixture.Json);
            return (response.StatusCode, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }).ToList();
        var results = await Task.WhenAll(attempts);

        Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)r.StatusCode} {r.Body}"));
        var redeemed = results.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Body).ToList();
        Assert.Equal(3, redeemed.Count);
        Assert.Equal(3, redeemed.Select(r => (string)r["event_id"]!).Distinct().Count());
        long sum = 0;
        foreach (var r in redeemed)
        {
            var order = await acme.GetJsonAsync($"/v1/orders/{(string)r["order_id"]!}");
            Assert.Equal((1, customer), (order["tickets"]!.AsArray().Count, (string)order["customer_ref"]!));
            sum += (long)order["total"]!["minor_units"]!;
        }

        Assert.Equal(total, sum);
        var after = await acme.GetJsonAsync($"/v1/pass-purchases/{purchase.Id()}");
        Assert.Equal((0, 3), ((int)after["credits_left"]!, after["redemptions"]!.AsArray().Count));
        var bad = await acme.PostJsonAsync($"/v1/pass-purchases/{purchase.Id()}/redemptions", new { event_id = events[0].Id }, HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]?["class_id"]);
    }

    [Fact]
    public async Task Bad_passes_and_purchases_are_answered_400_problem_details()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var (first, _) = await acme.CreateReservedEventAsync($"Season bad {Guid.NewGuid()}", 1, 3);
        var (second, _) = await acme.CreateReservedEventAsync($"Season bad {Guid.NewGuid()}", 1, 3);
        var ga = await acme.PostJsonAsync("/v1/events", Api.GaEvent($"Season GA {Guid.NewGuid()}", 10), HttpStatusCode.Created);
        var ids = new[] { first.Id(), second.Id() };

        foreach (var (body, field) in new (object, string)[]
        {
            (new { name = "", kind = "season", event_ids = ids, price_minor = 5000 }, "name"),
            (new { name = "P", kind = "weekly", event_ids = ids, price_minor = 5000 }, "kind"),
            (new { name = "P", kind = "season", event_ids = new[] { ids[0] }, price_minor = 5000 }, "event_ids"),
            (new { name = "P", kind = "season", event_ids = new[] { ids[0], ids[0] }, price_minor = 5000 }, "event_ids"),
            (new { name = "P", kind = "season", event_ids = new[] { ids[0], ga.Id() }, price_minor = 5000 }, "event_ids"),
            (new { name = "P", kind = "season", event_ids = ids, price_minor = -1 }, "price_minor"),
        })
        {
            var problem = await acme.PostJsonAsync("/v1/passes", body, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[field] is not null, $"{field}: {problem}");
        }

        using (var raw = await acme.PostAsync("/v1/passes", new StringContent("{\"name\": 5", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);
            Assert.Equal("application/problem+json", raw.Content.Headers.ContentType?.MediaType);
        }

        var pass = await acme.PostJsonAsync("/v1/passes", new { name = "P", kind = "season", event_ids = ids, price_minor = 5000 }, HttpStatusCode.Created);
        foreach (var (body, field) in new (object, string)[]
        {
            (new { section = "A", row = "1", number = "1" }, "customer_ref"),
            (new { customer_ref = "x", section = "A", number = "1" }, "row"),
            (new { customer_ref = "x", section = "A", row = "1", number = "9" }, "number"),
            (new { customer_ref = "x", customer_email = "nope", section = "A", row = "1", number = "1" }, "customer_email"),
        })
        {
            var problem = await acme.PostJsonAsync($"/v1/passes/{pass.Id()}/purchases", body, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[field] is not null, $"{field}: {problem}");
        }

        await acme.PostJsonAsync($"/v1/passes/{Guid.NewGuid()}/purchases", new { customer_ref = "x", section = "A", row = "1", number = "1" }, HttpStatusCode.NotFound);
        await acme.PostJsonAsync($"/v1/pass-purchases/{Guid.NewGuid()}/payment", new { }, HttpStatusCode.NotFound);
    }

    private async Task<string?> WebhookOutcomeAsync(string intentId)
    {
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using var cmd = new NpgsqlCommand("SELECT outcome FROM psp_events WHERE intent_id = $1 AND type = 'payment_intent.succeeded'", db)
        { Parameters = { new() { Value = intentId } } };
        return await cmd.ExecuteScalarAsync() as string;
    }
}
