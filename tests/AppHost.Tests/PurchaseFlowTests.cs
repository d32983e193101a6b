using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

[Collection(PlatformCollection.Name)]
public sealed class PurchaseFlowTests(PlatformFixture platform)
{
    [Fact]
    public async Task Create_hold_confirm_and_read_the_order()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Flow " + Guid.NewGuid(), 2, 4);
        Assert.Equal(8, (int)created["total_ticket_cnt"]!);
        Assert.Equal("EUR", (string)created["currency"]!);

        using var createResponse = await http.PostAsJsonAsync("/v1/holds",
            new { event_id = created.Id(), customer_ref = "flow-cust", seat_ids = seats.Take(3), expire_in_seconds = 120 }, Api.Json);
        Assert.Equal(HttpStatusCode.Created, createResponse.StatusCode);
        var hold = JsonNode.Parse(await createResponse.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal($"/v1/holds/{hold.Id()}", createResponse.Headers.Location?.OriginalString);
        Assert.Equal("active", (string)hold["status"]!);
        Assert.Equal(3 * 4500, (long)hold["total"]!["minor_units"]!);

        var map = await http.GetJsonAsync($"/v1/events/{created.Id()}/seats");
        Assert.Equal(3, (int)map["held"]!);
        Assert.Equal(5, (int)map["available"]!);

        var order = await http.PayAndConfirmAsync(hold.Id());
        var tickets = order["tickets"]!.AsArray();
        Assert.Equal(3, tickets.Count);
        Assert.Equal(3, tickets.Select(t => (string)t!["code"]!).Distinct().Count());
        Assert.All(tickets, t => Assert.StartsWith("TA-", (string)t!["code"]!, StringComparison.Ordinal));

        var again = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/confirm", new { }, HttpStatusCode.OK);
        Assert.Equal(order.Id(), again.Id());

        var fetched = await http.GetJsonAsync($"/v1/orders/{order.Id()}");
        Assert.StartsWith("pi_", (string)fetched["payment_reference"]!, StringComparison.Ordinal);
        var list = await http.GetJsonAsync("/v1/orders?customer_ref=flow-cust");
        Assert.Contains(list["orders"]!.AsArray(), o => o.Id() == order.Id());

        var detail = await http.GetJsonAsync($"/v1/events/{created.Id()}");
        Assert.Equal(5, (int)detail["available_ticket_cnt"]!);
        var after = await http.GetJsonAsync($"/v1/events/{created.Id()}/seats");
        Assert.Equal(3, (int)after["sold"]!);

        var cancelConfirmed = await DeleteAsync(http, $"/v1/holds/{hold.Id()}", HttpStatusCode.Conflict);
        Assert.Equal("hold_not_active", (string)cancelConfirmed!["code"]!);
    }

    [Fact]
    public async Task General_admission_hold_and_confirm()
    {
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var created = await http.PostJsonAsync("/v1/events", Api.GaEvent("GA " + Guid.NewGuid(), 8), HttpStatusCode.Created);
        var classId = (string)created["ticket_classes"]![0]!["id"]!;
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "ga", tickets = new[] { new { class_id = classId, quantity = 4 } } }, HttpStatusCode.Created);
        Assert.Equal(4, hold["seats"]!.AsArray().Count);
        var tooMany = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "ga2", tickets = new[] { new { class_id = classId, quantity = 5 } } }, HttpStatusCode.Conflict);
        Assert.Equal("sold_out", (string)tooMany["code"]!);
        var order = await http.PayAndConfirmAsync(hold.Id());
        Assert.Equal(4, order["tickets"]!.AsArray().Count);
        var detail = await http.GetJsonAsync($"/v1/events/{created.Id()}");
        Assert.Equal(4, (int)detail["available_ticket_cnt"]!);
    }

    [Fact]
    public async Task An_expired_hold_frees_its_seats_at_once_and_cannot_be_confirmed()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Expiry " + Guid.NewGuid(), 1, 2);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "slow", seat_ids = seats, expire_in_seconds = 1 }, HttpStatusCode.Created);
        await Task.Delay(1300);

        // no sweep needed: the seats are claimable the moment the hold expires (the worker sweeps only every 5 s)
        var next = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "fast", seat_ids = seats }, HttpStatusCode.Created);
        Assert.Equal(2, next["seats"]!.AsArray().Count);

        var expired = await http.GetJsonAsync($"/v1/holds/{hold.Id()}");
        Assert.Equal("expired", (string)expired["status"]!);
        var confirm = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/confirm", new { }, HttpStatusCode.Gone);
        Assert.Equal("hold_expired", (string)confirm["code"]!);
        await DeleteAsync(http, $"/v1/holds/{hold.Id()}", HttpStatusCode.Gone);
    }

    [Fact]
    public async Task The_worker_sweeps_expired_holds_and_records_the_release()
    {
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var (created, seats) = await http.CreateReservedEventAsync("Sweep " + Guid.NewGuid(), 1, 3);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "sweep", seat_ids = seats.Take(2), expire_in_seconds = 1 }, HttpStatusCode.Created);
        var holdId = Guid.Parse(hold.Id());

        await using var conn = await platform.OpenDatabaseAsync("eu", "reseller_globex");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        short status = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var cmd = new Npgsql.NpgsqlCommand("SELECT status FROM holds WHERE id = $1", conn) { Parameters = { new() { Value = holdId } } };
            status = (short)(await cmd.ExecuteScalarAsync())!;
            if (status == 3)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Equal(3, status);
        await using var seatsHeld = new Npgsql.NpgsqlCommand("SELECT count(*) FROM seats WHERE hold_id = $1", conn) { Parameters = { new() { Value = holdId } } };
        Assert.Equal(0L, (long)(await seatsHeld.ExecuteScalarAsync())!);
        await using var outbox = new Npgsql.NpgsqlCommand(
            "SELECT jsonb_array_length(payload->'released_seat_ids') FROM outbox WHERE topic = 'hold.expired' AND aggregate_id = $1", conn)
        { Parameters = { new() { Value = holdId } } };
        Assert.Equal(2, (int)(await outbox.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Cancelling_a_hold_releases_its_seats()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Cancel " + Guid.NewGuid(), 1, 2);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "c1", seat_ids = seats }, HttpStatusCode.Created);
        using (var response = await http.DeleteAsync($"/v1/holds/{hold.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var cancelled = await http.GetJsonAsync($"/v1/holds/{hold.Id()}");
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "c2", seat_ids = seats }, HttpStatusCode.Created);
        var confirm = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/confirm", new { }, HttpStatusCode.Conflict);
        Assert.Equal("hold_not_active", (string)confirm["code"]!);
    }

    [Fact]
    public async Task Events_can_be_searched_sorted_and_paged()
    {
        using var http = await platform.IntegratorClientAsync("us", "initech");
        var tag = Guid.NewGuid().ToString("N")[..8];
        await http.PostJsonAsync("/v1/events", Api.ReservedEvent($"B {tag}", 1, 1, "sports", $"Austin{tag}", "2027-05-01T18:00:00Z"), HttpStatusCode.Created);
        await http.PostJsonAsync("/v1/events", Api.ReservedEvent($"A {tag}", 1, 1, "sports", $"Austin{tag}", "2027-07-01T18:00:00Z"), HttpStatusCode.Created);
        await http.PostJsonAsync("/v1/events", Api.ReservedEvent($"C {tag}", 1, 1, "comedy", $"Austin{tag}", "2027-06-01T18:00:00Z"), HttpStatusCode.Created);

        var sports = await http.GetJsonAsync($"/v1/events?location=austin{tag}&type=sports&sort_by=name&order=asc");
        Assert.Equal(new[] { $"A {tag}", $"B {tag}" }, sports["events"]!.AsArray().Select(e => (string)e!["name"]!));
        var byDate = await http.GetJsonAsync($"/v1/events?location=austin{tag}&sort_by=date&order=desc&size=2&page=1");
        Assert.Equal(new[] { $"A {tag}", $"C {tag}" }, byDate["events"]!.AsArray().Select(e => (string)e!["name"]!));
        Assert.Equal(3, (long)byDate["total"]!);
        var page2 = await http.GetJsonAsync($"/v1/events?location=austin{tag}&sort_by=date&order=desc&size=2&page=2");
        Assert.Equal(new[] { $"B {tag}" }, page2["events"]!.AsArray().Select(e => (string)e!["name"]!));
        var window = await http.GetJsonAsync($"/v1/events?location=austin{tag}&date_from=2027-05-15&date_to=2027-06-15");
        Assert.Equal(new[] { $"C {tag}" }, window["events"]!.AsArray().Select(e => (string)e!["name"]!));
        Assert.Equal(1, (int)window["events"]![0]!["available_ticket_cnt"]!);
    }

    [Fact]
    public async Task A_reseller_can_narrow_the_hold_limits_in_its_cell_file()
    {
        // regions/eu.json gives globex "holds": { "max_seats_per_hold": 8, "max_tickets_per_customer_per_event": 10 };
        // acme keeps the platform's 50 seats per hold and 6 tickets per customer and event
        using var globex = await platform.IntegratorClientAsync("eu", "globex");
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var globexEvent = await globex.PostJsonAsync("/v1/events", Api.GaEvent("Limits " + Guid.NewGuid(), 20), HttpStatusCode.Created);
        var globexClass = (string)globexEvent["ticket_classes"]![0]!["id"]!;
        var tooBig = await globex.PostJsonAsync("/v1/holds", new { event_id = globexEvent.Id(), customer_ref = "many", tickets = new[] { new { class_id = globexClass, quantity = 9 } } }, HttpStatusCode.BadRequest);
        Assert.Contains("At most 8", (string)tooBig["errors"]!["tickets"]![0]!, StringComparison.Ordinal);
        await globex.PostJsonAsync("/v1/holds", new { event_id = globexEvent.Id(), customer_ref = "many", tickets = new[] { new { class_id = globexClass, quantity = 8 } } }, HttpStatusCode.Created);

        var acmeEvent = await acme.PostJsonAsync("/v1/events", Api.GaEvent("Limits " + Guid.NewGuid(), 20), HttpStatusCode.Created);
        var acmeClass = (string)acmeEvent["ticket_classes"]![0]!["id"]!;
        var overLimit = await acme.PostJsonAsync("/v1/holds", new { event_id = acmeEvent.Id(), customer_ref = "many", tickets = new[] { new { class_id = acmeClass, quantity = 7 } } }, HttpStatusCode.Conflict);
        Assert.Equal("purchase_limit_exceeded", (string)overLimit["code"]!);
        Assert.Equal(6, (int)overLimit["limit"]!);
    }

    [Fact]
    public async Task One_customer_gets_exactly_the_purchase_limit_out_of_fifty_concurrent_holds()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var created = await http.PostJsonAsync("/v1/events", Api.GaEvent("Limit race " + Guid.NewGuid(), 100), HttpStatusCode.Created);
        var classId = (string)created["ticket_classes"]![0]!["id"]!;
        var customer = "burst-" + Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await http.PostAsJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customer, tickets = new[] { new { class_id = classId, quantity = 1 } } }, Api.Json);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return (response.StatusCode, Code: (string?)body["code"]);
        }));

        // 6 holds; the other attempts hit the limit (409) or, past the account's 20 attempts, the velocity budget (429)
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Contains(answers, a => a.Code == "purchase_limit_exceeded");
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.True(
            a is (HttpStatusCode.Conflict, "purchase_limit_exceeded") or (HttpStatusCode.TooManyRequests, "hold_velocity_exceeded"), $"{a}"));
        var detail = await http.GetJsonAsync($"/v1/events/{created.Id()}");
        Assert.Equal(94, (int)detail["available_ticket_cnt"]!);
    }

    private static async Task<JsonObject?> DeleteAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        using var response = await http.DeleteAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"DELETE {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject();
    }
}
