using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Event changes through the running AppHost: anything may change while nothing is sold, after the first sale only the
/// time and the description, each change kept with its values before and after, and every ticket holder told by e-mail.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EventChangesTests(PlatformFixture platform)
{
    [Fact]
    public async Task Before_the_first_sale_anything_changes_after_it_only_the_time_and_every_holder_is_told()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var created = await acme.PostJsonAsync("/v1/events", Api.GaEvent("Changing show " + Guid.NewGuid(), 10), HttpStatusCode.Created);
        var eventId = created.Id();
        var classId = (string)created["ticket_classes"]![0]!["id"]!;

        // nothing sold: the name and the price change, recorded with before and after
        var renamed = await PatchAsync(acme, eventId, new { name = "Renamed show", ticket_classes = new[] { new { name = "Day pass", price_minor = 12_000 } } }, HttpStatusCode.OK);
        Assert.Equal("Renamed show", (string)renamed["event"]!["name"]!);
        Assert.Equal(12_000, (long)renamed["event"]!["ticket_classes"]![0]!["price"]!["minor_units"]!);
        Assert.Contains("name", renamed["change"]!["fields"]!.AsArray().Select(f => (string)f!));

        // bad input: problem details, nothing recorded
        var unknown = await PatchAsync(acme, eventId, new { ticket_classes = new[] { new { name = "VIP", price_minor = 1 } } }, HttpStatusCode.BadRequest);
        Assert.Contains("VIP", unknown.ToJsonString(), StringComparison.Ordinal);
        await PatchAsync(acme, eventId, new { name = new string('x', 5_000) }, HttpStatusCode.BadRequest);
        await PatchAsync(acme, eventId, new { }, HttpStatusCode.BadRequest);
        await PatchAsync(acme, Guid.NewGuid().ToString(), new { name = "Nobody's" }, HttpStatusCode.NotFound);

        // a sale at the new price
        var email = $"holder-{Guid.NewGuid():N}@example.com";
        var hold = await acme.PostJsonAsync("/v1/holds", new
        {
            event_id = eventId, customer_ref = "holder-" + Guid.NewGuid().ToString("N"), customer_email = email,
            tickets = new[] { new { class_id = classId, quantity = 1 } },
        }, HttpStatusCode.Created);
        await acme.PayAndConfirmAsync(hold.Id());

        // after it: the name is refused (409, with what may still change), the time is not, and the holder is told
        var refused = await PatchAsync(acme, eventId, new { name = "Too late" }, HttpStatusCode.Conflict);
        Assert.Equal("event_has_sales", (string)refused["code"]!);
        Assert.Contains("starts_at", refused["allowed_fields"]!.AsArray().Select(f => (string)f!));
        var moved = await PatchAsync(acme, eventId, new { starts_at = "2027-06-02T18:00:00Z" }, HttpStatusCode.OK);
        Assert.Equal(1, (int)moved["change"]!["notified_orders"]!);

        var history = (await acme.GetJsonAsync($"/v1/events/{eventId}/history"))["changes"]!.AsArray();
        Assert.Equal(2, history.Count);
        Assert.Equal(created["name"]!.GetValue<string>(), (string)history[0]!["before"]!["name"]!);
        Assert.Equal("Renamed show", (string)history[0]!["after"]!["name"]!);
        Assert.Equal(["starts_at"], history[1]!["fields"]!.AsArray().Select(f => (string)f!));
        Assert.StartsWith("integrator:", (string)history[1]!["actor"]!, StringComparison.Ordinal);

        var mail = await Eventually.GetAsync(async () =>
        {
            var mails = await acme.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(email)}");
            return mails["mails"]!.AsArray().FirstOrDefault(m => (string?)m!["kind"] == "event_changed");
        }, "the event_changed e-mail", TimeSpan.FromSeconds(30));
        var body = await acme.GetJsonAsync($"/v1/mailbox/{mail.Id()}");
        Assert.Contains("2027-06-02 18:00 UTC", (string)body["text_body"]!, StringComparison.Ordinal);

        // another reseller's API does not know the event
        using var globex = await platform.IntegratorClientAsync("eu", "globex");
        await globex.GetJsonAsync($"/v1/events/{eventId}/history", HttpStatusCode.NotFound);
        await PatchAsync(globex, eventId, new { description = "not mine" }, HttpStatusCode.NotFound);
    }

    private static async Task<JsonObject> PatchAsync(HttpClient http, string eventId, object body, HttpStatusCode expected)
    {
        using var response = await http.PatchAsJsonAsync($"/v1/events/{eventId}", body, PlatformFixture.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"PATCH /v1/events/{eventId}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
