using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Api.Tests.Infrastructure;

/// <summary>
/// A small API process on Kestrel (127.0.0.1, a free port) wired like the real one: client addresses (forwarded headers
/// of known proxies), authentication, reseller resolution by host, then <see cref="RateLimitingExtensions.UseApiRateLimiting"/>. Each instance has its own service
/// provider, so two instances are two replicas.
/// </summary>
public sealed class RateLimitedApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RateLimitedApi(WebApplication app, HttpClient http, CapturedLogs logs)
    {
        _app = app;
        Http = http;
        Logs = logs;
    }

    public HttpClient Http { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Settings with each reseller's Redis at the given endpoints (<c>host:port</c>).</summary>
    public static Dictionary<string, string?> Settings(string acmeRedis, string? globexRedis = null) => new()
    {
        // the reseller registries want a Postgres server; nothing here opens a database
        ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=1",
        // the in-process Garnet shares two cores with the client and the API under test: a test that wants Redis to
        // be too slow says so with a smaller timeout
        ["RateLimiting:RedisTimeout"] = "00:00:01",
        ["ConnectionStrings:" + Resellers.Acme.RedisConnectionName] = acmeRedis,
        ["ConnectionStrings:" + Resellers.Globex.RedisConnectionName] = globexRedis ?? acmeRedis,
    };

    public static async Task<RateLimitedApi> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.AddClientAddresses();

        builder.Services.AddMultiTenant<ResellerTenantInfo>()
            .WithHostStrategy()
            .WithStore(new SnapshotStore([Resellers.Acme, Resellers.Globex]));
        builder.Services.AddResellerStorage(builder.Configuration);
        builder.Services.AddApiRateLimiting(builder.Configuration);

        var app = builder.Build();
        app.UseClientAddresses();
        app.UseRouting();
        app.Use((context, next) =>
        {
            context.User = Caller.PrincipalFrom(context.Request.Headers);
            return next(context);
        });
        app.UseMultiTenant<ResellerTenantInfo>();
        app.UseApiRateLimiting();

        app.MapMethods("/v1/ping", ["GET", "POST", "PUT", "DELETE"], () => "pong");
        app.MapGet("/v1/free", () => "free").DisableRateLimiting();
        app.MapPost("/v1/psp/webhooks", () => "received").ExcludeFromMultiTenantResolution().WithRateLimitPartition(PartitionKind.PspWebhook);
        app.MapGet("/v1/open", () => "open").ExcludeFromMultiTenantResolution();
        app.MapGet("/health", () => "healthy").ExcludeFromMultiTenantResolution();
        app.MapGet("/alive", () => "alive").ExcludeFromMultiTenantResolution();

        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        var api = new RateLimitedApi(app, http, logs);
        await api.WarmUpAsync();
        return api;
    }

    /// <summary>
    /// One request per reseller from a throwaway caller, so connecting, JIT and the first script load are done before a
    /// test starts counting.
    /// </summary>
    private async Task WarmUpAsync()
    {
        foreach (var host in new[] { Resellers.AcmeHost, Resellers.GlobexHost })
        {
            using var response = await SendAsync(Caller.NewCustomer(), host: host);
        }
    }

    /// <summary>One request of <paramref name="caller"/> to <paramref name="host"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        Caller caller, string path = "/v1/ping", HttpMethod? method = null, string host = Resellers.AcmeHost, string? forwardedFor = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Host = host;
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        caller.AddTo(request);
        var response = await Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Sends <paramref name="count"/> requests one after another and returns their status codes.</summary>
    public async Task<List<HttpStatusCode>> SendManyAsync(
        int count, Caller caller, string path = "/v1/ping", HttpMethod? method = null, string host = Resellers.AcmeHost)
    {
        var codes = new List<HttpStatusCode>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await SendAsync(caller, path, method, host);
            codes.Add(response.StatusCode);
        }

        return codes;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
