using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// What the edge refuses before it reaches Postgres or a replica's memory: control characters in any text, bodies over
/// their limit, prices and totals beyond what can be paid; and the bounds of the seat map and of queue streams.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EdgeHardeningTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("/v1/events?location=%00", "location")]
    [InlineData("/v1/events?location=paris%01", "location")]
    [InlineData("/v1/events?type=%1b", "type")]
    [InlineData("/v1/orders?customer_ref=a%00b", "customer_ref")]
    [InlineData("/v1/audit?subject=%00", "subject")]
    [InlineData("/v1/audit?resource_id=%7f", "resource_id")]
    [InlineData("/v1/mailbox?to=x%00%40example.com", "to")]
    [InlineData("/v1/webhooks/messages?event_type=%00", "event_type")]
    [InlineData("/v1/reports/sales?group_by=%c2%85", "group_by")]
    public async Task Control_characters_in_a_query_are_400_problem_details(string path, string field)
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var problem = await http.GetJsonAsync(path, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_characters", (string)problem["code"]!);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Theory]
    [InlineData("/v1/holds", """{"event_id":"EVENT","customer_ref":"a\u0000b","seat_ids":["SEAT"]}""", "customer_ref")]
    [InlineData("/v1/holds", """{"event_id":"EVENT","customer_ref":"alice","customer_email":"a\u0000@example.com","seat_ids":["SEAT"]}""", "customer_email")]
    [InlineData("/v1/holds", """{"event_id":"EVENT","customer_ref":"\ud800","seat_ids":["SEAT"]}""", "customer_ref")]
    [InlineData("/v1/events/EVENT/cancel", """{"reason":"bye\u0000"}""", "reason")]
    [InlineData("/v1/queue/events/EVENT/join", """{"customer_ref":"x\u0001"}""", "customer_ref")]
    [InlineData("/v1/webhooks/endpoints", """{"url":"http://127.0.0.1:9/x","description":"\u001b[2J"}""", "description")]
    public async Task Control_characters_in_a_json_body_are_400_problem_details(string path, string body, string field)
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Text " + Guid.NewGuid(), 1, 2);
        using var response = await http.PostAsync(path.Replace("EVENT", created.Id(), StringComparison.Ordinal),
            new StringContent(body.Replace("EVENT", created.Id(), StringComparison.Ordinal).Replace("SEAT", seats[0], StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        var problem = JsonNode.Parse(text)!;
        Assert.Equal("invalid_characters", (string)problem["code"]!);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), text);
    }

    [Fact]
    public async Task A_refund_reason_with_control_characters_is_400()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Reason " + Guid.NewGuid(), 1, 1);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "reason", seat_ids = seats }, HttpStatusCode.Created);
        var order = await http.PayAndConfirmAsync(hold.Id());
        using var response = await http.PostAsync($"/v1/orders/{order.Id()}/refund", new StringContent("""{"reason":"\u0000"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_characters", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!);
    }

    [Fact]
    public async Task Bodies_over_their_limit_are_413_before_they_are_read()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var padding = new string(' ', 100 * 1024);
        // Expect: 100-continue, as a careful client sends a large body: the refusal comes before the body is sent (without
        // it the server's early answer and close race the client's writing)
        async Task<HttpResponseMessage> PostAsync(string path, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.ExpectContinue = true;
            return await http.SendAsync(request);
        }

        using var hold = await PostAsync("/v1/holds", "{" + padding + "}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hold.StatusCode);
        Assert.Equal("request_too_large", (string)JsonNode.Parse(await hold.Content.ReadAsStringAsync())!["code"]!);

        using var big = await PostAsync("/v1/events", "{" + new string(' ', 5 * 1024 * 1024) + "}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        // an event body of 100 KiB is fine (its own, larger limit)
        using var ok = await PostAsync("/v1/events", "{" + padding + "}");
        Assert.Equal(HttpStatusCode.BadRequest, ok.StatusCode);
    }

    [Fact]
    public async Task An_over_cap_seating_plan_is_refused_with_field_errors()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Api.ReservedEvent("Huge", 1, 1), Api.Json))!.AsObject();
        // 40 sections of 1,000 rows of 1,000 seats: 40 million seats in a body of ~1.8 MB
        var rows = string.Join(",", Enumerable.Range(1, 1000).Select(r => $$"""{"label":"{{r}}","class":"Standard","seat_count":1000}"""));
        body["sections"] = JsonNode.Parse("[" + string.Join(",", Enumerable.Range(1, 40).Select(s => $$"""{"name":"S{{s}}","rows":[{{rows}}]}""")) + "]");
        var problem = await http.PostJsonAsync("/v1/events", body, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("sections"), problem.ToJsonString());
    }

    [Fact]
    public async Task Prices_beyond_a_payment_are_refused_and_totals_beyond_the_psp_are_422()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var huge = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Api.ReservedEvent("Huge price", 1, 2), Api.Json))!.AsObject();
        huge["ticket_classes"]![0]!["price_minor"] = 4_611_686_018_427_387_904L;
        var refused = await http.PostJsonAsync("/v1/events", huge, HttpStatusCode.BadRequest);
        Assert.True(refused["errors"]!.AsObject().ContainsKey("ticket_classes[0].price_minor"), refused.ToJsonString());

        // two tickets at the highest price: each payable alone, together more than the PSP takes in one payment
        var dear = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Api.ReservedEvent("Dear " + Guid.NewGuid(), 1, 2), Api.Json))!.AsObject();
        dear["ticket_classes"]![0]!["price_minor"] = 99_999_999L;
        var created = await http.PostJsonAsync("/v1/events", dear, HttpStatusCode.Created);
        var seats = (await http.GetJsonAsync($"/v1/events/{created.Id()}/seats"))["seats"]!.AsArray().Select(s => (string)s!["id"]!).ToList();
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "dear", seat_ids = seats }, HttpStatusCode.Created);
        var payment = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/payment", new { }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("payment_amount_too_large", (string)payment["code"]!);
        Assert.Equal(99_999_999L, (long)payment["max_amount_minor"]!);
    }

    [Fact]
    public async Task The_seat_map_comes_in_pages()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Pages " + Guid.NewGuid(), 3, 4);
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await http.GetJsonAsync($"/v1/events/{created.Id()}/seats?limit=5" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(12, (int)page["available"]!);
            ids.AddRange(page["seats"]!.AsArray().Select(s => (string)s!["id"]!));
            cursor = (string?)page["next_cursor"];
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(seats, ids);
        var bad = await http.GetJsonAsync($"/v1/events/{created.Id()}/seats?limit=5001", HttpStatusCode.BadRequest);
        Assert.True(bad["errors"]!.AsObject().ContainsKey("limit"));
    }

    [Fact]
    public async Task A_customer_may_keep_only_a_few_queue_streams_open_on_a_replica()
    {
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var (created, _) = await integrator.CreateReservedEventAsync("Streams " + Guid.NewGuid(), 1, 1);
        using (var room = await integrator.PutAsJsonAsync($"/v1/events/{created.Id()}/waiting-room",
            new { on_sale_at = DateTimeOffset.UtcNow.AddHours(1), admit_per_minute = 60, window_seconds = 600 }, PlatformFixture.Json))
        {
            Assert.Equal(HttpStatusCode.OK, room.StatusCode);
        }

        using var browser = new Browser(platform, "eu");
        var token = (string)(await browser.SignInAsync("acme", $"streams-{Guid.NewGuid():N}@example.com", "streams-password-123", register: true))["access_token"]!;
        var replica = (await platform.ApiReplicaEndpointsAsync("eu", 2))[0];
        using var http = new HttpClient { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Host = "acme.eu.localhost";
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using (var join = await http.PostAsync($"/v1/queue/events/{created.Id()}/join", null))
        {
            Assert.Equal(HttpStatusCode.OK, join.StatusCode);
        }

        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                open.Add(await http.GetAsync($"/v1/queue/events/{created.Id()}/me/stream", HttpCompletionOption.ResponseHeadersRead));
                Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
            }

            using var fourth = await http.GetAsync($"/v1/queue/events/{created.Id()}/me/stream", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
            Assert.NotNull(fourth.Headers.RetryAfter);
            Assert.Equal("stream_limit_exceeded", (string)JsonNode.Parse(await fourth.Content.ReadAsStringAsync())!["code"]!);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }

        // closing one frees its slot
        await Eventually.GetAsync(async () =>
        {
            using var again = await http.GetAsync($"/v1/queue/events/{created.Id()}/me/stream", HttpCompletionOption.ResponseHeadersRead);
            return again.StatusCode == HttpStatusCode.OK ? "open" : null;
        }, "a stream slot freed by closing a stream", TimeSpan.FromSeconds(10));
    }
}
