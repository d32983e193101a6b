using System.Net.Http.Json;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// A presale through the running AppHost: before the general on-sale a hold needs the open window's code (kept hashed,
/// never shown), a verified fan registers and holds without one in the fan window, anyone else is refused.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PresaleTests(PlatformFixture platform)
{
    [Fact]
    public async Task Before_the_general_on_sale_only_code_holders_may_hold()
    {
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var created = await integrator.PostJsonAsync("/v1/events", Api.GaEvent("Presale show " + Guid.NewGuid(), 10), HttpStatusCode.Created);
        var classId = (string)created["ticket_classes"]![0]!["id"]!;
        var now = DateTimeOffset.UtcNow;
        using (var put = await integrator.PutAsJsonAsync($"/v1/events/{created.Id()}/presale", new
        {
            general_on_sale_at = now.AddHours(1),
            windows = new object[]
            {
                new { name = "Card members", starts_at = now.AddMinutes(-1), ends_at = now.AddMinutes(30), code = "CARD-2030" },
                new { name = "Fan club", starts_at = now.AddMinutes(30), ends_at = now.AddMinutes(50), verified_fans = true },
            },
        }, PlatformFixture.Json))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var plan = await integrator.GetJsonAsync($"/v1/events/{created.Id()}/presale");
        Assert.DoesNotContain("CARD-2030", plan.ToJsonString(), StringComparison.Ordinal);
        object Hold(string who) => new { event_id = created.Id(), customer_ref = who, tickets = new[] { new { class_id = classId, quantity = 1 } } };

        var refused = await integrator.PostJsonAsync("/v1/holds", Hold("no-code"), HttpStatusCode.Forbidden);
        Assert.Equal("presale_code_required", (string)refused["code"]!);
        using var withCode = new HttpRequestMessage(HttpMethod.Post, "/v1/holds") { Content = JsonContent.Create(Hold("card-member")) };
        withCode.Headers.Add("Presale-Code", "CARD-2030");
        using (var held = await integrator.SendAsync(withCode))
        {
            Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        }

        using var wrongCode = new HttpRequestMessage(HttpMethod.Post, "/v1/holds") { Content = JsonContent.Create(Hold("guesser")) };
        wrongCode.Headers.Add("Presale-Code", "CARD-2031");
        using (var guessed = await integrator.SendAsync(wrongCode))
        {
            Assert.Equal(HttpStatusCode.Forbidden, guessed.StatusCode);
        }
    }
}
