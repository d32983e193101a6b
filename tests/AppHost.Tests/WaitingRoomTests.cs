using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>Waiting rooms end to end: support turns one on, holds need admission, the worker admits, tokens are spent once.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WaitingRoomTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_hold_on_a_high_demand_event_needs_an_admission_token_that_works_once_for_its_event()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync($"Waiting room {Guid.NewGuid()}", 1, 4);
        var (other, otherSeats) = await http.CreateReservedEventAsync($"Waiting room other {Guid.NewGuid()}", 1, 2);
        var support = await Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-support", PlatformFixture.StaffSecret("eu", "support"), "support");
        using var staff = platform.ResellerClient("eu", "acme.eu.localhost", support);
        foreach (var id in new[] { created.Id(), other.Id() })
        {
            using var put = await staff.PutAsJsonAsync($"/v1/events/{id}/waiting-room",
                new { on_sale_at = DateTimeOffset.UtcNow.AddSeconds(-1), admit_per_minute = 6000, window_seconds = 600 }, PlatformFixture.Json);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var customer = $"queue-{Guid.NewGuid():N}";
        var refused = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customer, seat_ids = new[] { seats[0] } },
            HttpStatusCode.Forbidden);
        Assert.Equal("admission_required", (string)refused["code"]!);
        // the core's words, then the API's route and header
        Assert.Equal("This event has a waiting room: join its queue and present the admission token you get when admitted. "
            + $"Join the queue with POST /v1/queue/events/{created.Id()}/join, then send the token in the Admission-Token header (or as admission_token).",
            (string)refused["detail"]!);

        var token = await AdmittedAsync(http, created.Id(), customer);
        var otherToken = await AdmittedAsync(http, other.Id(), customer);

        Assert.Equal((HttpStatusCode.Created, (string?)null), await HoldAsync(http, created.Id(), customer, seats[0], token));
        Assert.Equal((HttpStatusCode.Forbidden, "admission_token_used"), await HoldAsync(http, created.Id(), customer, seats[1], token));
        Assert.Equal((HttpStatusCode.Forbidden, "admission_token_invalid"), await HoldAsync(http, created.Id(), customer, seats[1], otherToken));
        Assert.Equal((HttpStatusCode.Forbidden, "admission_token_invalid"), await HoldAsync(http, other.Id(), "someone-else", otherSeats[0], otherToken));

        var room = await staff.GetJsonAsync($"/v1/events/{created.Id()}/waiting-room");
        Assert.Equal((1, 1), ((int)room["admitted"]!, (int)room["used"]!));
        Assert.Equal(HttpStatusCode.OK, (await staff.DeleteAsync($"/v1/events/{created.Id()}/waiting-room")).StatusCode);
    }

    /// <summary>Joins for <paramref name="customer"/> and joins again (the integrator's poll) until admitted; the token.</summary>
    private static async Task<string> AdmittedAsync(HttpClient http, string eventId, string customer)
    {
        var first = await http.PostJsonAsync($"/v1/queue/events/{eventId}/join", new { customer_ref = customer }, HttpStatusCode.OK);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var entry = await http.PostJsonAsync($"/v1/queue/events/{eventId}/join", new { customer_ref = customer }, HttpStatusCode.OK);
            Assert.Equal((long)first["queue_number"]!, (long)entry["queue_number"]!);
            if ((string)entry["status"]! == "admitted")
            {
                return (string)entry["admission_token"]!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not admitted within 30 s: {entry}");
            await Task.Delay(250);
        }
    }

    private static async Task<(HttpStatusCode, string?)> HoldAsync(HttpClient http, string eventId, string customer, string seat, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/holds")
        {
            Content = JsonContent.Create(new { event_id = eventId, customer_ref = customer, seat_ids = new[] { seat } }, options: PlatformFixture.Json),
        };
        if (token is not null)
        {
            request.Headers.Add("Admission-Token", token);
        }

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, response.IsSuccessStatusCode ? null : (string?)body["code"]);
    }
}
