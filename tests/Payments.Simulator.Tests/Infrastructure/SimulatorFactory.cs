using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace TicketAspire.Payments.Simulator.Tests.Infrastructure;

/// <summary>The simulator in-process on its own data directory, with short delays; settings may be overridden.</summary>
public sealed class SimulatorFactory(string dataDir, IReadOnlyDictionary<string, string?>? overrides = null) : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-api-key";
    public const string WebhookSecret = "test-webhook-secret";

    public string DataDir { get; } = dataDir;

    /// <summary>A client that sends the API key.</summary>
    public HttpClient CreatePlatformClient(TimeSpan? timeout = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        if (timeout is { } t)
        {
            client.Timeout = t;
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Psp:DataDir"] = DataDir,
            ["Psp:ApiKey"] = ApiKey,
            ["Psp:WebhookSecret"] = WebhookSecret,
            ["Psp:WebhookUrl"] = "",
            ["Psp:AsyncDelay"] = "300ms",
            ["Psp:DisputeDelay"] = "400ms",
            ["Psp:FraudDelay"] = "400ms",
            ["Psp:PollInterval"] = "50ms",
            ["Psp:WebhookRetrySchedule"] = "200ms,200ms,200ms",
            ["Psp:WebhookTimeout"] = "2s",
            ["Psp:TimeoutHold"] = "30s",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
    }
}
