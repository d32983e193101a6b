using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>Bots, first layer: velocity per device, hold-without-confirm blocks, each decision in the audit log.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AbuseTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_account_that_keeps_cancelling_holds_is_blocked_and_the_decisions_are_audited()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var created = await http.PostJsonAsync("/v1/events", Api.GaEvent("Hoard " + Guid.NewGuid(), 50), HttpStatusCode.Created);
        var classId = (string)created["ticket_classes"]![0]!["id"]!;
        var customer = "hoarder-" + Guid.NewGuid().ToString("N");
        var body = new { event_id = created.Id(), customer_ref = customer, tickets = new[] { new { class_id = classId, quantity = 1 } } };
        for (var i = 0; i < 10; i++)   // Abuse:MaxUnconfirmedHolds, default 10
        {
            var hold = await http.PostJsonAsync("/v1/holds", body, HttpStatusCode.Created);
            using var cancelled = await http.DeleteAsync($"/v1/holds/{hold.Id()}");
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        using var first = await http.PostAsJsonAsync("/v1/holds", body, Api.Json);
        using var second = await http.PostAsJsonAsync("/v1/holds", body, Api.Json);
        var problem = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("account_blocked", (string)problem["code"]!);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        // another customer of the same integrator still holds
        await http.PostJsonAsync("/v1/holds", body with { customer_ref = "honest-" + Guid.NewGuid().ToString("N") }, HttpStatusCode.Created);

        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await EventuallyAsync(async () => await CountAsync(db, "AbuseBlock", "customer:" + customer) == 1
            && await CountAsync(db, "AbuseBlockRefused", "customer:" + customer) == 1, "the block and the refusal are audited");
    }

    [Fact]
    public async Task One_device_is_limited_across_accounts()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Device " + Guid.NewGuid(), 1, 40);
        // the buyer's browser asks the API for its device id once; the storefront's back end forwards it with each hold
        using var browser = platform.ResellerClient("eu", "acme.eu.localhost");
        var device = (string)(await browser.PostJsonAsync("/v1/devices", new { }, HttpStatusCode.OK))["device_id"]!;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++)   // RateLimiting:HoldsPerDevice, default 30 per 10 min
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/holds")
            {
                Content = JsonContent.Create(new { event_id = created.Id(), customer_ref = $"acct-{i}-{device}", seat_ids = new[] { seats[i] } }, options: Api.Json),
            };
            request.Headers.Add("X-Device-Id", device);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (i == 30)
            {
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal("hold_velocity_exceeded", (string)problem["code"]!);
                Assert.Equal("device", (string)problem["budget"]!);
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.All(statuses.Take(30), s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[30]);
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await EventuallyAsync(async () => await CountAsync(db, "HoldVelocityRefused", "device:id:" + device) == 1, "the velocity refusal is audited");
    }

    [Fact]
    public async Task A_device_id_the_api_did_not_issue_is_refused_so_rotating_it_escapes_nothing()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Rotating " + Guid.NewGuid(), 1, 5);
        for (var i = 0; i < 5; i++)
        {
            // a fresh made-up id per request would otherwise be a fresh device budget per request
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/holds")
            {
                Content = JsonContent.Create(new { event_id = created.Id(), customer_ref = $"rot-{i}-{Guid.NewGuid():N}", seat_ids = new[] { seats[i] } }, options: Api.Json),
            };
            request.Headers.Add("X-Device-Id", "dev-" + Guid.NewGuid().ToString("N"));
            using var response = await http.SendAsync(request);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("device_id_invalid", (string)problem["code"]!);
        }

        var seatMap = await http.GetJsonAsync($"/v1/events/{created.Id()}/seats");
        Assert.All(seatMap["seats"]!.AsArray(), s => Assert.Equal("available", (string)s!["status"]!));
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        // audit lines are written in batches, a moment after the answer
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection db, string action, string resource)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM audit_log WHERE action = $1 AND resource_id = $2", db)
        {
            Parameters = { new() { Value = action }, new() { Value = resource } },
        };
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
