using System.Text;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>Bad input answers 4xx problem details naming what is wrong; never 500.</summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputTests(PlatformFixture platform)
{
    [Fact]
    public async Task Unknown_reseller_host_is_404_never_a_default_reseller()
    {
        using var http = platform.ResellerClient("eu", "unknown.eu.localhost");
        foreach (var path in new[] { "/v1/events", "/v1/event-types", $"/v1/holds/{Guid.NewGuid()}" })
        {
            var problem = await http.GetJsonAsync(path, HttpStatusCode.NotFound);
            Assert.Equal("https://ticketaspire.dev/problems/tenancy.unresolved", (string)problem["type"]!);
        }

        var post = await http.PostJsonAsync("/v1/events", Api.ReservedEvent("x", 1, 1), HttpStatusCode.NotFound);
        Assert.Equal(404, (int)post["status"]!);
    }

    [Fact]
    public async Task An_empty_event_lists_every_missing_field()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var problem = await http.PostJsonAsync("/v1/events", new { }, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        foreach (var field in new[] { "name", "type", "starts_at", "venue", "seating", "ticket_classes" })
        {
            Assert.True(errors.ContainsKey(field), $"missing error for {field}: {problem}");
        }
    }

    [Fact]
    public async Task A_wrong_currency_is_refused()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Api.ReservedEvent("usd", 1, 1), Api.Json))!.AsObject();
        body["currency"] = "USD";
        var problem = await http.PostJsonAsync("/v1/events", body, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("currency"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"event_id\": \"not-a-guid\", \"customer_ref\": \"x\"}")]
    [InlineData("{\"event_id\": 42}")]
    [InlineData("[]")]
    public async Task Unreadable_hold_bodies_are_400(string body)
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        using var response = await http.PostAsync("/v1/holds", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
    }

    [Theory]
    [InlineData("date_from=yesterday", "date_from")]
    [InlineData("sort_by=price", "sort_by")]
    [InlineData("order=up", "order")]
    [InlineData("page=0", "page")]
    [InlineData("size=1000", "size")]
    [InlineData("type=opera-house", "type")]
    [InlineData("date_from=2027-02-01&date_to=2027-01-01", "date_to")]
    public async Task Invalid_list_filters_are_400_with_the_field(string query, string field)
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var problem = await http.GetJsonAsync("/v1/events?" + query, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Hold_validation_names_the_fields()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Bounds " + Guid.NewGuid(), 1, 2);
        var tooLong = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "b", seat_ids = seats, expire_in_seconds = 86400 }, HttpStatusCode.BadRequest);
        Assert.True(tooLong["errors"]!.AsObject().ContainsKey("expire_in_seconds"));
        var none = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "b" }, HttpStatusCode.BadRequest);
        Assert.True(none["errors"]!.AsObject().ContainsKey("seat_ids"));
        var foreign = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "b", seat_ids = new[] { Guid.NewGuid() } }, HttpStatusCode.BadRequest);
        Assert.True(foreign["errors"]!.AsObject().ContainsKey("seat_ids"));
        var unknownEvent = await http.PostJsonAsync("/v1/holds", new { event_id = Guid.NewGuid(), customer_ref = "b", seat_ids = seats }, HttpStatusCode.NotFound);
        Assert.Equal("event_not_found", (string)unknownEvent["code"]!);
        var noRef = await http.GetJsonAsync("/v1/orders", HttpStatusCode.BadRequest);
        Assert.True(noRef["errors"]!.AsObject().ContainsKey("customer_ref"));
        var badPage = await http.GetJsonAsync("/v1/orders?customer_ref=b&page=0&size=500", HttpStatusCode.BadRequest);
        Assert.True(badPage["errors"]!.AsObject().ContainsKey("page"));
        Assert.True(badPage["errors"]!.AsObject().ContainsKey("size"));
        await http.GetJsonAsync($"/v1/orders/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await http.GetJsonAsync("/v1/events/not-a-guid", HttpStatusCode.NotFound);
    }
}
