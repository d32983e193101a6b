using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TicketAspire.Webhooks.Tests.Infrastructure;

/// <summary>
/// A real webhook receiver: Kestrel on a loopback port, recording every request (headers and raw body) and answering
/// what the test tells it to.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private Receiver(WebApplication app) => _app = app;

    /// <summary>What was received, in order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status to answer to call number n (1-based); default 200.</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    /// <summary>Delays each answer (to let a test kill the sender mid-request).</summary>
    public TimeSpan Delay { get; set; }

    public string Url { get; private set; } = "";

    public sealed record Received(string Id, string Timestamp, string Signature, string Body, IHeaderDictionary Headers);

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary();
            foreach (var (k, v) in context.Request.Headers)
            {
                headers[k] = v;
            }

            receiver.Requests.Enqueue(new Received(headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(),
                headers["webhook-signature"].ToString(), body, headers));
            var n = Interlocked.Increment(ref receiver._calls);
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay, context.RequestAborted);
            }

            return Results.StatusCode(receiver.Answer(n));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
