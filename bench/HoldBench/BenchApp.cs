using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// The real AppHost booted in-process for a benchmark (cell eu only, throw-away data dir), with eu-api's integrator rate
/// limit raised and optional experiment settings; hands out the integrator token, an HTTP client and the Postgres
/// connection string. Shared by every mode of the bench.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    public const string ResellerHost = "acme.eu.localhost";
    public const string ResellerDatabase = "reseller_acme";

    /// <summary>The integrator secret of this run (the AppHost takes it as the Aspire parameter).</summary>
    private static readonly string ClientSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private BenchApp(DistributedApplication app) => App = app;

    public DistributedApplication App { get; }

    /// <summary>Boots the AppHost and waits until eu-api and eu-identity are healthy.</summary>
    public static async Task<BenchApp> StartAsync(string dataDir, bool durable, IReadOnlyList<KeyValuePair<string, string>> apiEnvironment,
        string? apiNpgsql, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(apiEnvironment);
        BenchRun.Progress($"booting AppHost (cell eu, data dir {dataDir}, Durable={durable.ToString().ToLowerInvariant()})");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["TicketAspire:Cells=eu", $"TicketAspire:DataDir={dataDir}", "TicketAspire:FixedPorts=false",
             $"TicketAspire:Durable={durable.ToString().ToLowerInvariant()}", $"Parameters:eu-acme-client-secret={ClientSecret}"], ct)
            .WaitAsync(TimeSpan.FromMinutes(1), ct);
        // the AppHost's own log is noise here (health checks fail on purpose while resources start and stop)
        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Http", LogLevel.None)
            .AddFilter("System.Net.Http", LogLevel.None)
            .AddFilter("Polly", LogLevel.None));
        ConfigureApi(builder, apiEnvironment, apiNpgsql);
        var app = await builder.BuildAsync(ct).WaitAsync(TimeSpan.FromMinutes(1), ct);
        var bench = new BenchApp(app);
        try
        {
            await app.StartAsync(ct).WaitAsync(TimeSpan.FromMinutes(3), ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("eu-api", ct).WaitAsync(TimeSpan.FromMinutes(3), ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("eu-identity", ct).WaitAsync(TimeSpan.FromMinutes(3), ct);
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }

        BenchRun.Progress("eu-api healthy");
        return bench;
    }

    /// <summary>Applies the experiment options to eu-api; its environment callbacks run after the AppHost's, so they win.</summary>
    private static void ConfigureApi(IDistributedApplicationTestingBuilder builder, IReadOnlyList<KeyValuePair<string, string>> apiEnvironment, string? apiNpgsql)
    {
        var api = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "eu-api"));
        // the load generator is one integrator client: its rate limit stays on (one Redis round trip per request, as in
        // production) with a budget the run cannot exhaust
        api.WithEnvironment("RateLimiting__Integrator__PermitLimit", "1000000");
        foreach (var (key, value) in apiEnvironment)
        {
            BenchRun.Progress($"eu-api experiment: {key}={value}");
            api.WithEnvironment(key, value);
        }

        if (apiNpgsql is { } extra)
        {
            BenchRun.Progress($"eu-api experiment: ConnectionStrings__postgres += ;{extra}");
            var postgres = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "eu-catalog-db");
            api.WithEnvironment(ctx => ctx.EnvironmentVariables["ConnectionStrings__postgres"] =
                ReferenceExpression.Create($"{postgres.ConnectionStringExpression};{extra}"));
        }
    }

    /// <summary>The Postgres server's connection string (DCP's proxy port, like the API's).</summary>
    public async Task<string> PostgresAsync(CancellationToken ct) =>
        await App.GetConnectionStringAsync("eu-postgres", ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct)
            ?? throw new InvalidOperationException("eu-postgres has no connection string");

    /// <summary>Host and port of the Postgres proxy and the real port behind it.</summary>
    public static async Task<(string Host, int ProxyPort, int PostgresPort, string Version)> PostgresPortsAsync(string server, BenchDatabase db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var csb = new NpgsqlConnectionStringBuilder(server);
        var port = int.Parse(await db.ScalarAsync<string>("SHOW port", ct), System.Globalization.CultureInfo.InvariantCulture);
        var version = "PostgreSQL " + (await db.ScalarAsync<string>("SHOW server_version", ct)).Split(' ')[0];
        return (csb.Host ?? "localhost", csb.Port, port, version);
    }

    /// <summary>An HTTP client for eu-api as the integrator (Host of reseller acme, bearer token, up to <paramref name="connections"/> connections).</summary>
    public async Task<HttpClient> IntegratorClientAsync(int connections, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(connections, 16),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        };
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = App.GetEndpoint("eu-api", "http"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Host = ResellerHost;
        http.DefaultRequestHeaders.Authorization = new("Bearer", await IntegratorTokenAsync(ct));
        return http;
    }

    private async Task<string> IntegratorTokenAsync(CancellationToken ct)
    {
        using var identity = new HttpClient { BaseAddress = App.GetEndpoint("eu-identity", "http") };
        using var response = await identity.PostAsync("/acme/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "acme-backend",
            ["client_secret"] = ClientSecret,
            ["scope"] = "inventory:write orders:write orders:read",
        }), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token request failed: {(int)response.StatusCode} {body}");
        }

        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Stops the AppHost (Postgres, Garnet, API, worker) and disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        BenchRun.Progress("stopping the AppHost (Postgres, Garnet, API, worker)");
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await App.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            BenchRun.Progress("WARNING: StopAsync timed out after 1 min; disposing anyway");
        }

        await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        BenchRun.Progress("AppHost stopped");
    }

    /// <summary>Deletes a run's data directory, if it can.</summary>
    public static void DeleteDataDir(string dataDir)
    {
        try
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            BenchRun.Progress($"could not delete {dataDir}: {ex.Message}");
        }
    }
}
