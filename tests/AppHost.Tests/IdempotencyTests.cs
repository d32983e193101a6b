using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>Idempotency-Key on hold, payment and confirm (draft-ietf-httpapi-idempotency-key-header).</summary>
[Collection(PlatformCollection.Name)]
public sealed class IdempotencyTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_same_key_and_body_replays_the_first_answer_without_holding_again()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Idem " + Guid.NewGuid(), 1, 4);
        var key = Guid.NewGuid().ToString();
        var body = new { event_id = created.Id(), customer_ref = "idem-" + Guid.NewGuid().ToString("N"), seat_ids = seats.Take(1) };

        var (first, firstBody) = await PostAsync(http, "/v1/holds", body, key);
        var (second, secondBody) = await PostAsync(http, "/v1/holds", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(firstBody.Id(), secondBody.Id());
        Assert.Equal("application/json; charset=utf-8", second.Content.Headers.ContentType!.ToString());
        var detail = await http.GetJsonAsync($"/v1/events/{created.Id()}");
        Assert.Equal(3, (int)detail["available_ticket_cnt"]!);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Idem " + Guid.NewGuid(), 1, 4);
        var key = Guid.NewGuid().ToString();
        var customer = "idem-" + Guid.NewGuid().ToString("N");
        var (first, _) = await PostAsync(http, "/v1/holds", new { event_id = created.Id(), customer_ref = customer, seat_ids = seats.Take(1) }, key);

        var (other, problem) = await PostAsync(http, "/v1/holds", new { event_id = created.Id(), customer_ref = customer, seat_ids = seats.Skip(1).Take(1) }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency_key_reused", (string)problem["code"]!);
    }

    [Fact]
    public async Task Twenty_concurrent_duplicates_create_exactly_one_hold()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Idem race " + Guid.NewGuid(), 1, 4);
        var key = Guid.NewGuid().ToString();
        var body = new { event_id = created.Id(), customer_ref = "idem-" + Guid.NewGuid().ToString("N"), seat_ids = seats.Take(2) };

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(http, "/v1/holds", body, key)));

        Assert.All(answers, a => Assert.True(a.Response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict,
            $"{(int)a.Response.StatusCode}: {a.Body.ToJsonString()}"));
        var created201 = answers.Where(a => a.Response.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Single(created201, a => !a.Response.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(created201.Select(a => a.Body.Id()).Distinct());
        Assert.All(answers.Where(a => a.Response.StatusCode == HttpStatusCode.Conflict),
            a => Assert.Equal("idempotency_key_in_use", (string)a.Body["code"]!));
        var detail = await http.GetJsonAsync($"/v1/events/{created.Id()}");
        Assert.Equal(2, (int)detail["available_ticket_cnt"]!);
        var (late, lateBody) = await PostAsync(http, "/v1/holds", body, key);
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        Assert.Equal(created201[0].Body.Id(), lateBody.Id());
    }

    [Fact]
    public async Task Keys_are_scoped_per_caller()
    {
        using var browser = new Browser(platform, "eu");
        var tokens = await browser.SignInAsync("acme", $"idem-{Guid.NewGuid():N}@example.com", "idem-password-123", register: true);
        using var me = platform.ResellerClient("eu", "acme.eu.localhost", (string)tokens["access_token"]!);
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await integrator.CreateReservedEventAsync("Idem scope " + Guid.NewGuid(), 1, 4);
        var key = Guid.NewGuid().ToString();

        var (mine, myHold) = await PostAsync(me, "/v1/holds", new { event_id = created.Id(), seat_ids = seats.Take(1) }, key);
        var (theirs, theirHold) = await PostAsync(integrator, "/v1/holds", new { event_id = created.Id(), customer_ref = "scope-x", seat_ids = seats.Skip(1).Take(1) }, key);

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(myHold.Id(), theirHold.Id());
    }

    [Fact]
    public async Task Payment_and_confirm_replay_with_their_keys_and_a_bad_key_is_refused()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Idem pay " + Guid.NewGuid(), 1, 2);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "idem-" + Guid.NewGuid().ToString("N"), seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        var payKey = $"\"{Guid.NewGuid()}\"";   // the draft's structured-field string form

        var (pay, payment) = await PostAsync(http, $"/v1/holds/{hold.Id()}/payment", new { }, payKey);
        var (payAgain, paymentAgain) = await PostAsync(http, $"/v1/holds/{hold.Id()}/payment", new { }, payKey);
        Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        Assert.Equal("true", payAgain.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(payment.ToJsonString(), paymentAgain.ToJsonString());

        await Api.PayAtPspAsync(payment, Cards.Success);
        var confirmKey = Guid.NewGuid().ToString();
        var (confirm, order) = await PostAsync(http, $"/v1/holds/{hold.Id()}/confirm", new { }, confirmKey);
        var (confirmAgain, orderAgain) = await PostAsync(http, $"/v1/holds/{hold.Id()}/confirm", new { }, confirmKey);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmAgain.StatusCode);
        Assert.Equal("true", confirmAgain.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(order.Id(), orderAgain.Id());

        var (bad, problem) = await PostAsync(http, $"/v1/holds/{hold.Id()}/confirm", new { }, new string('k', 256));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("idempotency_key_invalid", (string)problem["code"]!);
    }

    [Fact]
    public async Task A_key_left_claimed_by_a_dead_replica_is_taken_over_by_the_same_request_after_a_minute_not_before()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Idem abandoned " + Guid.NewGuid(), 1, 4);
        var key = Guid.NewGuid().ToString();
        var body = new { event_id = created.Id(), customer_ref = "idem-" + Guid.NewGuid().ToString("N"), seat_ids = seats.Take(1) };
        var other = new { event_id = created.Id(), customer_ref = "idem-" + Guid.NewGuid().ToString("N"), seat_ids = seats.Skip(1).Take(1) };
        var (first, firstBody) = await PostAsync(http, "/v1/holds", body, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        // what a replica killed between claiming the key and storing its answer leaves behind: the claim, no answer
        // (the hold released too, so that running the request again can hold the same seat)
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        async Task AbandonAsync(TimeSpan ago)
        {
            await using var reset = new Npgsql.NpgsqlCommand("""
                UPDATE idempotency_keys SET status = NULL, content_type = NULL, location = NULL, response_body = NULL,
                    completed_at = NULL, created_at = now() - $2
                WHERE key = $1
                """, db);
            reset.Parameters.Add(new() { Value = key });
            reset.Parameters.Add(new() { Value = ago });
            Assert.Equal(1, await reset.ExecuteNonQueryAsync());
        }

        using (var cancel = await http.DeleteAsync($"/v1/holds/{firstBody.Id()}"))
        {
            Assert.True(cancel.IsSuccessStatusCode, $"cancel: {(int)cancel.StatusCode}");
        }

        await AbandonAsync(TimeSpan.FromSeconds(30));
        var (young, youngBody) = await PostAsync(http, "/v1/holds", body, key);
        Assert.Equal(HttpStatusCode.Conflict, young.StatusCode);
        Assert.Equal("idempotency_key_in_use", (string)youngBody["code"]!);

        await AbandonAsync(TimeSpan.FromSeconds(61));
        var (reused, reusedBody) = await PostAsync(http, "/v1/holds", other, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);   // another body never takes a claim over
        Assert.Equal("idempotency_key_reused", (string)reusedBody["code"]!);
        var (taken, takenBody) = await PostAsync(http, "/v1/holds", body, key);
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        Assert.False(taken.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(firstBody.Id(), takenBody.Id());
        var (replayed, replayedBody) = await PostAsync(http, "/v1/holds", body, key);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(takenBody.Id(), replayedBody.Id());
    }

    private static async Task<(HttpResponseMessage Response, JsonObject Body)> PostAsync(HttpClient http, string path, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Api.Json) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonNode.Parse(text)!.AsObject());
    }
}
