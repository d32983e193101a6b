using System.Net.Http.Json;
using System.Security.Cryptography;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// A lottery through the running AppHost: entrants register while it is open, the worker draws it once registration
/// closes, the published seed recomputes the ranking, winners hold with their admission, losers cannot and are told by
/// e-mail, and nobody can jump the line through the queue.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LotteryTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_worker_draws_a_lottery_whose_winners_alone_may_buy_and_whose_losers_are_told()
    {
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var created = await integrator.PostJsonAsync("/v1/events", Api.GaEvent("Lottery show " + Guid.NewGuid(), 20), HttpStatusCode.Created);
        var classId = (string)created["ticket_classes"]![0]!["id"]!;
        var closes = DateTimeOffset.UtcNow.AddSeconds(6);
        var opened = await PutAsync(integrator, $"/v1/events/{created.Id()}/lottery",
            new { registration_opens_at = DateTimeOffset.UtcNow.AddMinutes(-1), registration_closes_at = closes, winners = 2, window_seconds = 600 });
        Assert.Equal(("open", (string?)null), ((string)opened["status"]!, (string?)opened["seed"]));
        var seedHash = (string)opened["seed_sha256"]!;

        var fans = Enumerable.Range(0, 6).Select(i => $"lottery-fan-{i}-{Guid.NewGuid():N}").ToList();
        foreach (var fan in fans)
        {
            await integrator.PostJsonAsync($"/v1/events/{created.Id()}/lottery/entries", new { customer_ref = fan, customer_email = $"{fan}@example.com" }, HttpStatusCode.OK);
        }

        var bad = await integrator.PostJsonAsync($"/v1/events/{created.Id()}/lottery/entries", new { customer_ref = fans[0], customer_email = "not-an-address" }, HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["customer_email"]);
        var queue = await integrator.PostJsonAsync($"/v1/queue/events/{created.Id()}/join", new { customer_ref = "queue-jumper" }, HttpStatusCode.Conflict);
        Assert.Equal("queue_is_a_lottery", (string)queue["code"]!);

        // the worker draws it soon after registration closes
        var drawn = await Eventually.GetAsync(async () =>
        {
            var lottery = await integrator.GetJsonAsync($"/v1/events/{created.Id()}/lottery");
            return (string)lottery["status"]! == "drawn" ? lottery : null;
        }, "the worker's draw", TimeSpan.FromSeconds(60));
        var seed = Convert.FromHexString((string)drawn!["seed"]!);
        Assert.Equal(seedHash, Convert.ToHexStringLower(SHA256.HashData(seed)));
        var results = await integrator.GetJsonAsync($"/v1/events/{created.Id()}/lottery/results");
        var ranked = results["entries"]!.AsArray().Select(e => (string)e!["customer_ref"]!).ToList();
        Assert.Equal(Inventory.Queue.LotteryService.Rank(seed, fans), ranked);

        // a winner holds with the admission token; a loser is refused and told by e-mail
        var winner = await integrator.GetJsonAsync($"/v1/events/{created.Id()}/lottery/entry?customer_ref={ranked[0]}");
        Assert.Equal("won", (string)winner["status"]!);
        using var hold = new HttpRequestMessage(HttpMethod.Post, "/v1/holds")
        {
            Content = JsonContent.Create(new { event_id = created.Id(), customer_ref = ranked[0], tickets = new[] { new { class_id = classId, quantity = 1 } } }),
        };
        hold.Headers.Add("Admission-Token", (string)winner["admission_token"]!);
        using (var held = await integrator.SendAsync(hold))
        {
            Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        }

        var loser = ranked[^1];
        Assert.Equal("lost", (string)(await integrator.GetJsonAsync($"/v1/events/{created.Id()}/lottery/entry?customer_ref={loser}"))["status"]!);
        using (var refused = await integrator.PostAsJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = loser, tickets = new[] { new { class_id = classId, quantity = 1 } } }))
        {
            Assert.False(refused.IsSuccessStatusCode);
        }

        var mail = await Eventually.GetAsync(async () =>
            (await integrator.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString($"{loser}@example.com")}"))["mails"]!.AsArray()
                .FirstOrDefault(m => (string?)m!["kind"] == "lottery_result"), "the loser's e-mail");
        Assert.Contains("not drawn", (string)(await integrator.GetJsonAsync($"/v1/mailbox/{mail!.Id()}"))["text_body"]!, StringComparison.Ordinal);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> PutAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PutAsJsonAsync(path, body, PlatformFixture.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
    }
}
