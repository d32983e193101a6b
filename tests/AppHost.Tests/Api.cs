using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>Small helpers that speak the public HTTP contract.</summary>
internal static class Api
{
    public static object ReservedEvent(string name, int rows, int seatsPerRow, string type = "concert", string city = "Paris", string? startsAt = null) => new
    {
        name,
        type,
        performer = "Test Band",
        starts_at = startsAt ?? "2027-03-01T20:00:00Z",
        venue = new { name = "Test Arena", city, country = "FR" },
        seating = "reserved",
        ticket_classes = new[] { new { name = "Standard", price_minor = 4500L } },
        sections = new[]
        {
            new { name = "A", rows = Enumerable.Range(1, rows).Select(r => new { label = r.ToString(System.Globalization.CultureInfo.InvariantCulture), @class = "Standard", seat_count = seatsPerRow }).ToArray() },
        },
    };

    public static object GaEvent(string name, int quantity) => new
    {
        name,
        type = "festival",
        starts_at = "2027-06-01T12:00:00Z",
        venue = new { name = "Field", city = "Berlin" },
        seating = "general_admission",
        ticket_classes = new[] { new { name = "Day pass", price_minor = 9900L, quantity } },
    };

    public static async Task<JsonObject> PostJsonAsync(this HttpClient http, string path, object body, HttpStatusCode expected)
    {
        using var response = await http.PostAsJsonAsync(path, body, PlatformFixture.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> GetJsonAsync(this HttpClient http, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<(JsonObject Event, List<string> SeatIds)> CreateReservedEventAsync(this HttpClient http, string name, int rows, int seatsPerRow)
    {
        var created = await http.PostJsonAsync("/v1/events", ReservedEvent(name, rows, seatsPerRow), HttpStatusCode.Created);
        var map = await http.GetJsonAsync($"/v1/events/{created["id"]}/seats");
        return (created, map["seats"]!.AsArray().Select(s => (string)s!["id"]!).ToList());
    }

    public static string Id(this JsonNode? node) => (string)node!["id"]!;

    /// <summary>Pays for a hold as a buyer does: start the payment, confirm it at the PSP with a card, confirm the hold.</summary>
    public static async Task<JsonObject> PayAndConfirmAsync(this HttpClient http, string holdId, string card = Cards.Success, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var payment = await http.PostJsonAsync($"/v1/holds/{holdId}/payment", new { }, HttpStatusCode.OK);
        await PayAtPspAsync(payment, card);
        return await http.PostJsonAsync($"/v1/holds/{holdId}/confirm", new { }, expected);
    }

    /// <summary>What the buyer's browser does: confirms the payment intent at the PSP with a card; returns the intent.</summary>
    public static async Task<JsonObject> PayAtPspAsync(JsonObject payment, string card)
    {
        var psp = payment["psp"]!;
        using var browser = new HttpClient();
        using var response = await browser.PostAsJsonAsync((string)psp["confirm_url"]!, new { client_secret = (string)psp["client_secret"]!, card_number = card });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PSP confirm: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static JsonSerializerOptions Json => PlatformFixture.Json;
}
