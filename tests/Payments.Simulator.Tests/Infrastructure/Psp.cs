using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TicketAspire.Payments.Simulator.Tests.Infrastructure;

/// <summary>Calls of the PSP contract as a platform and a browser make them, plus a look into the SQLite file.</summary>
public static class Psp
{
    public static readonly Dictionary<string, string> Metadata = new() { ["reseller"] = "acme", ["hold_id"] = "h-1", ["payment_id"] = "p-1" };

    public static HttpRequestMessage Post(string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static async Task<JsonElement> CreateIntentAsync(HttpClient platform, long amount = 1250, string? key = null)
    {
        using var response = await platform.SendAsync(Post("/v1/payment_intents", new { amount, currency = "EUR", metadata = Metadata }, key ?? Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static async Task<HttpResponseMessage> ConfirmAsync(HttpClient browser, JsonElement intent, string card, string? clientSecret = null) =>
        await browser.SendAsync(Post($"/v1/payment_intents/{Id(intent)}/confirm",
            new { client_secret = clientSecret ?? intent.GetProperty("client_secret").GetString(), card_number = card, exp_month = 12, exp_year = 2030, cvc = "123" },
            Guid.NewGuid().ToString()));

    public static async Task<JsonElement> ConfirmOkAsync(HttpClient browser, JsonElement intent, string card)
    {
        using var response = await ConfirmAsync(browser, intent, card);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static async Task<JsonElement> GetIntentAsync(HttpClient platform, string id)
    {
        using var response = await platform.GetAsync($"/v1/payment_intents/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static async Task<string> ProblemCodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await JsonAsync(response)).GetProperty("code").GetString()!;
    }

    public static string Id(JsonElement resource) => resource.GetProperty("id").GetString()!;

    public static string Status(JsonElement resource) => resource.GetProperty("status").GetString()!;

    /// <summary>Counts rows straight from the simulator's SQLite file (independent of its API).</summary>
    public static long CountRows(string dataDir, string table)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "psp.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Polls <c>GET /v1/test/webhooks</c> until an event matches.</summary>
    public static async Task<JsonElement> WaitForEventAsync(HttpClient platform, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var list = JsonDocument.Parse(await platform.GetStringAsync("/v1/test/webhooks")).RootElement.GetProperty("data");
            foreach (var e in list.EnumerateArray().Where(match))
            {
                return e;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("No matching webhook event was stored.");
    }
}
