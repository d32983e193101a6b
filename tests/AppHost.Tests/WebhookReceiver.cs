using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TicketAspire.AppHost.Tests;

/// <summary>A reseller's webhook receiver: Kestrel on a loopback port (the cells are development cells), recording every request.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status answered to call number n (1-based).</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    public string Url { get; private set; } = "";

    public sealed record Received(string Id, string Body, IHeaderDictionary Headers, System.Text.Json.Nodes.JsonNode Json, int Status);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary();
            foreach (var (k, v) in context.Request.Headers)
            {
                headers[k] = v;
            }

            var status = receiver.Answer(Interlocked.Increment(ref receiver._calls));
            receiver.Requests.Enqueue(new Received(headers["webhook-id"].ToString(), body, headers, System.Text.Json.Nodes.JsonNode.Parse(body)!, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received.</summary>
    public async Task WaitAsync(Func<IReadOnlyList<Received>, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done([.. Requests]))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not received within {timeout.TotalSeconds:F0}s: {what} ({Requests.Count} requests received)");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
