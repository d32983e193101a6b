using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TicketAspire.Payments.Simulator.Infrastructure;
using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

public sealed class IdempotencyTests : IDisposable
{
    private const string Body = """{"amount":1999,"currency":"EUR","metadata":{"hold_id":"h-7"}}""";
    private readonly TempDir _dir = new();
    private readonly SimulatorFactory _factory;
    private readonly HttpClient _platform;

    public IdempotencyTests()
    {
        _factory = new SimulatorFactory(_dir.Path);
        _platform = _factory.CreatePlatformClient();
    }

    [Fact]
    public async Task The_same_key_and_body_replay_the_stored_response()
    {
        using var first = await CreateAsync("key-1", Body);
        using var second = await CreateAsync("key-1", Body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, Psp.CountRows(_dir.Path, "payment_intents"));
    }

    [Fact]
    public async Task A_refused_request_replays_its_refusal()
    {
        using var first = await CreateAsync("key-bad", """{"amount":-5,"currency":"EUR"}""");
        using var second = await CreateAsync("key-bad", """{"amount":-5,"currency":"EUR"}""");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("invalid_request", await Psp.ProblemCodeAsync(second));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_unprocessable()
    {
        using var first = await CreateAsync("key-2", Body);
        using var second = await CreateAsync("key-2", Body.Replace("1999", "2000", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("idempotency_key_reused", await Psp.ProblemCodeAsync(second));
        Assert.Equal(1, Psp.CountRows(_dir.Path, "payment_intents"));
    }

    [Fact]
    public async Task Keys_are_scoped_per_path()
    {
        using var created = await CreateAsync("key-3", Body);
        var intent = await Psp.JsonAsync(created);

        // the same key on another path is another request
        using var confirm = await _factory.CreateClient().SendAsync(Psp.Post($"/v1/payment_intents/{Psp.Id(intent)}/confirm",
            new { client_secret = intent.GetProperty("client_secret").GetString(), card_number = "4242424242424242" }, "key-3"));

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal("succeeded", Psp.Status(await Psp.JsonAsync(confirm)));
    }

    [Fact]
    public async Task A_key_still_in_flight_answers_conflict()
    {
        // the first request has claimed the key and not finished (claimed here directly, as the middleware does)
        var store = _factory.Services.GetRequiredService<IdempotencyStore>();
        var scope = "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SimulatorFactory.ApiKey)))[..16] + " /v1/payment_intents";
        var claim = await store.TryBeginAsync(scope, "key-4", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Body))));
        Assert.Equal(IdempotencyClaimResult.Claimed, claim.Result);

        using var duplicate = await CreateAsync("key-4", Body);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("idempotency_key_in_use", await Psp.ProblemCodeAsync(duplicate));
        Assert.Equal(0, Psp.CountRows(_dir.Path, "payment_intents"));
    }

    [Fact]
    public async Task Twenty_parallel_duplicates_create_one_intent()
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await CreateAsync("key-5", Body);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var succeeded = results.Where(r => r.StatusCode == HttpStatusCode.OK).Select(r => r.Body).Distinct().ToList();
        Assert.Single(succeeded);
        Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict), r => Assert.Contains("idempotency_key_in_use", r.Body, StringComparison.Ordinal));
        Assert.Equal(1, Psp.CountRows(_dir.Path, "payment_intents"));
    }

    [Fact]
    public async Task Parallel_confirms_with_one_key_make_one_attempt()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        var body = $$"""{"client_secret":"{{intent.GetProperty("client_secret").GetString()}}","card_number":"4000000000000002"}""";
        var browser = _factory.CreateClient();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/payment_intents/{Psp.Id(intent)}/confirm")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "confirm-1");
            using var response = await browser.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.Contains(HttpStatusCode.OK, results);
        Assert.All(results, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Equal(1, Psp.CountRows(_dir.Path, "webhook_events"));
    }

    private async Task<HttpResponseMessage> CreateAsync(string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return await _platform.SendAsync(request);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _dir.Dispose();
    }
}
