using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace TicketAspire.Payments.Simulator.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on a loopback port that receives the simulator's webhooks, verifies each signature with the
/// StandardWebhooks library (secret <c>whsec_</c> + base64 of the UTF-8 bytes) and can fail the first calls.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StandardWebhook _verifier;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app, string secret, int failFirst)
    {
        _app = app;
        _verifier = new StandardWebhook("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
        _failuresLeft = failFirst;
        app.MapPost("/v1/psp/webhooks", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var verified = true;
            try
            {
                _verifier.Verify(body, request.Headers);
            }
            catch (Exception)
            {
                verified = false;
            }

            var attempt = new ReceivedWebhook(request.Headers["webhook-id"].ToString(), body, verified, Interlocked.Decrement(ref _failuresLeft) >= 0);
            Received.Enqueue(attempt);
            return attempt.AnsweredFailure ? Results.StatusCode(500) : Results.NoContent();
        });
    }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync(string secret, int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build(), secret, failFirst);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/v1/psp/webhooks";
        return receiver;
    }

    /// <summary>Waits until a successfully answered webhook matches <paramref name="match"/>.</summary>
    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Received.FirstOrDefault(r => !r.AnsweredFailure && match(r)) is { } found)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("No matching webhook arrived. Received: " + string.Join(", ", Received.Select(r => r.Type)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One webhook request as received.</summary>
public sealed record ReceivedWebhook(string Id, string Body, bool SignatureValid, bool AnsweredFailure)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public JsonElement Subject => Json.GetProperty("data").GetProperty("object");
}
