using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The PSP's webhook endpoint trusts nothing but the PSP: a correctly signed event is only a hint to re-read the intent
/// from the PSP; bodies are bounded before they are read; the endpoint has its own rate-limit budget.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PspWebhookTrustTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_signed_succeeded_event_the_psp_does_not_confirm_creates_no_order()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Forged " + Guid.NewGuid(), 1, 2);
        var customer = "forger-" + Guid.NewGuid().ToString("N");
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customer, seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        var payment = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/payment", new { }, HttpStatusCode.OK);
        var intent = (string)payment["psp"]!["payment_intent_id"]!;
        var total = (long)payment["price"]!["total"]!["minor_units"]!;

        // the buyer never paid; the event claims otherwise, with the right intent, hold, amount and currency, and a valid
        // signature (whoever holds the cell's webhook secret could send it)
        var forged = new JsonObject
        {
            ["id"] = "evt_forged_" + Guid.NewGuid().ToString("N"),
            ["type"] = "payment_intent.succeeded",
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = intent, ["object"] = "payment_intent", ["status"] = "succeeded", ["amount"] = total, ["currency"] = "eur",
                    ["amount_refunded"] = 0, ["metadata"] = new JsonObject { ["reseller"] = "acme", ["hold_id"] = hold.Id() },
                },
            },
        };
        using var response = await SendSignedAsync(forged.ToJsonString());
        var outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("payment_not_confirmed", (string)outcome["outcome"]!);
        Assert.Equal("active", (string)(await http.GetJsonAsync($"/v1/holds/{hold.Id()}"))["status"]!);
        Assert.Empty((await http.GetJsonAsync($"/v1/orders?customer_ref={customer}"))["orders"]!.AsArray());

        // once the buyer really pays, the PSP's own webhook (or confirm) makes the order as usual
        await Api.PayAtPspAsync(payment, Cards.Success);
        var order = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/confirm", new { }, HttpStatusCode.OK);
        Assert.Equal(intent, (string)order["payment_reference"]!);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_read()
    {
        // 20 MB announced (under Kestrel's own 30 MB limit), 1 KB sent: the answer must come without waiting for the rest
        var endpoint = platform.App.GetEndpoint("eu-api", "http");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = tcp.GetStream();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var head = $"POST /v1/psp/webhooks HTTP/1.1\r\nHost: {endpoint.Authority}\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n"
            + $"webhook-id: evt_big\r\nwebhook-timestamp: {now}\r\nwebhook-signature: v1,{Convert.ToBase64String(new byte[32])}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"padding\":\"" + new string('x', 1024)));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var answer = "";
        int read;
        while (!answer.Contains("request_too_large", StringComparison.Ordinal) && (read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            answer += Encoding.ASCII.GetString(buffer, 0, read);
        }

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("request_too_large", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_endpoint_spends_its_own_rate_limit_budget()
    {
        using var response = await SendSignedAsync("{}", signature: "v1," + Convert.ToBase64String(new byte[32]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // RateLimiting:PspWebhook (1200 a minute per address), not the 60 of anonymous writes
        Assert.Equal("1200", Assert.Single(response.Headers.GetValues("RateLimit-Limit")));
    }

    private async Task<HttpResponseMessage> SendSignedAsync(string body, string? signature = null)
    {
        var secret = (await File.ReadAllTextAsync(Path.Combine(platform.DataDir, "eu-client-secrets", "payments-webhook-secret"))).Trim();
        var id = "evt_" + Guid.NewGuid().ToString("N");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        signature ??= "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        using var api = platform.ResellerClient("eu", "acme.eu.localhost");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/psp/webhooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", signature);
        var response = await api.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
