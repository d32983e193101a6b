using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using StackExchange.Redis;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Boots the real AppHost once for the collection: the eu and us cells, each with its Postgres server, a Garnet per
/// reseller, migrator, API and worker, on random ports with a throw-away data directory. Only these two
/// (<see cref="Cells"/>): every further cell file would add a dozen processes to every run; a test of another cell
/// starts an AppHost of its own with that cell alone (<see cref="UkCellTests"/>).
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    // 4 minutes ran out on this shared 2-core machine at a load average of 35-50 (others' builds and tests)
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ta-ah-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly IMessageSink _sink;
    private DistributedApplication? _app;

    public PlatformFixture(IMessageSink sink) => _sink = sink;

    /// <summary>The cells the shared fixture starts (<c>TicketAspire:Cells</c>), whatever else regions/ holds.</summary>
    public const string Cells = "eu,us";

    public DistributedApplication App => _app ?? throw new InvalidOperationException("not started");

    /// <summary>The secret of a reseller's integrator client (<c>&lt;reseller&gt;-backend</c>) in this test run.</summary>
    public static string ClientSecret(string reseller) => $"{reseller}-test-secret-4f1d8c2a9b7e";

    /// <summary>The secret of a cell's platform staff client (<c>&lt;cell&gt;-support</c>, <c>&lt;cell&gt;-operator</c>).</summary>
    public static string StaffSecret(string cell, string role) => $"{cell}-{role}-test-secret-77a0c3";

    /// <summary>The private key of globex's integrator client (<c>private_key_jwt</c>); its public half is registered.</summary>
    public static readonly System.Security.Cryptography.RSA GlobexClientKey = System.Security.Cryptography.RSA.Create(2048);

    /// <summary>Where this run keeps its data (identity keys included).</summary>
    public string DataDir => _dataDir;

    private readonly Dictionary<string, Task<string>> _tokens = [];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task InitializeAsync()
    {
        var sw = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"TicketAspire:Cells={Cells}", $"TicketAspire:DataDir={_dataDir}", "TicketAspire:Durable=false", "TicketAspire:FixedPorts=false", "TicketAspire:ApiReplicas=2",
             $"Parameters:eu-acme-client-secret={ClientSecret("acme")}", $"Parameters:eu-globex-client-secret={ClientSecret("globex")}",
             $"Parameters:us-initech-client-secret={ClientSecret("initech")}",
             $"Parameters:eu-globex-client-jwks={Tokens.PublicJwks(GlobexClientKey, "globex-key-1")}",
             $"Parameters:eu-support-client-secret={StaffSecret("eu", "support")}", $"Parameters:eu-operator-client-secret={StaffSecret("eu", "operator")}",
             $"Parameters:us-support-client-secret={StaffSecret("us", "support")}", $"Parameters:us-operator-client-secret={StaffSecret("us", "operator")}",
             $"Parameters:eu-payments-api-key={PspApiKey("eu")}", $"Parameters:us-payments-api-key={PspApiKey("us")}",
             $"Parameters:eu-console-password={ConsoleSignIn.Password("eu")}", $"Parameters:us-console-password={ConsoleSignIn.Password("us")}",
             // the PSP's delayed outcomes (processing cards, disputes, fraud warnings: days in real life) within seconds,
             // and a short per-call timeout so the PSP-timeout tests retry quickly
             "TicketAspire:Payments:AsyncDelay=00:00:01", "TicketAspire:Payments:DisputeDelay=00:00:02", "TicketAspire:Payments:FraudDelay=00:00:02",
             "TicketAspire:Payments:WebhookRetrySchedule=00:00:01,00:00:02,00:00:05", "TicketAspire:Payments:AttemptTimeout=00:00:02",
             // webhooks: a short retry schedule (1 s, 1 s, 2 s, then dead) and a fast poll, so retries happen within a test
             "TicketAspire:Webhooks:RetrySchedule:0=00:00:01", "TicketAspire:Webhooks:RetrySchedule:1=00:00:01", "TicketAspire:Webhooks:RetrySchedule:2=00:00:02",
             "TicketAspire:Webhooks:PollInterval=00:00:00.200",
             // the shedding tests set a simulated load at run time (GET/PUT /test/shedding, mapped only with this)
             "TicketAspire:Shedding:EnableTestControl=true",
             // the shipped cells refuse private webhook targets; the webhook tests receive on 127.0.0.1
             "TicketAspire:AllowPrivateWebhookTargets=true",
             // every test's device ids come from 127.0.0.1: more than a browser's budget (20 an hour)
             "TicketAspire:RateLimiting:DeviceIds:PermitLimit=1000",
             // dynamic pricing: a pass every 2 s instead of 30 s, so demand moves a price within a test
             "TicketAspire:Pricing:Interval=00:00:02"],
            cts.Token);
        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        foreach (var resource in new[] { "eu-payments", "us-payments", "eu-api", "us-api", "eu-identity", "us-identity", "eu-worker", "us-worker", "eu-web", "us-web", "eu-catalog-db", "eu-acme-db", "eu-globex-db", "us-initech-db" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }

        _sink.OnMessage(new DiagnosticMessage($"platform healthy after {sw.Elapsed.TotalSeconds:F1}s"));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await _app.StopAsync(cts.Token);
            await _app.DisposeAsync();
        }

        try
        {
            if (Directory.Exists(_dataDir))
            {
                Directory.Delete(_dataDir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>An HTTP client of <c>&lt;cell&gt;-api</c> that sends every request with a reseller's host name.</summary>
    public HttpClient ResellerClient(string cell, string host)
    {
        // a plain client (no retries, no pooled-connection cap): concurrency tests count every single answer
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var client = new HttpClient(handler) { BaseAddress = App.GetEndpoint($"{cell}-api", "http"), Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Host = host;
        return client;
    }

    /// <summary>
    /// The own address of each running replica of <c>&lt;cell&gt;-api</c> (not Aspire's proxy in front of them), from the
    /// replicas' resource snapshots: their URLs, or the address their process was told to listen on.
    /// </summary>
    public async Task<IReadOnlyList<Uri>> ApiReplicaEndpointsAsync(string cell, int count)
    {
        var proxy = App.GetEndpoint($"{cell}-api", "http");
        var found = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var seen = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var e in App.ResourceNotifications.WatchAsync(cts.Token))
            {
                if (e.Resource.Name != $"{cell}-api" || e.Snapshot.State?.Text != KnownResourceStates.Running)
                {
                    continue;
                }

                var env = e.Snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
                var candidates = e.Snapshot.Urls.Select(u => u.Url)
                    .Concat((env.GetValueOrDefault("ASPNETCORE_URLS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                    .Concat((env.GetValueOrDefault("HTTP_PORTS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://localhost:{p}"));
                seen.Add($"{e.ResourceId}: {string.Join(" ", candidates)}");
                var own = candidates.Select(c => Uri.TryCreate(c.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://*:", "://localhost:", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null)
                    .FirstOrDefault(u => u is { Scheme: "http" } && u.Port != proxy.Port);
                if (own is not null)
                {
                    found[e.ResourceId] = new UriBuilder(own) { Host = "localhost", Path = "/" }.Uri;
                }

                if (found.Count >= count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(found.Count >= count, $"expected {count} replicas of {cell}-api with their own address; saw {string.Join(" | ", seen)}");
        return [.. found.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value)];
    }

    /// <summary>An HTTP client of <c>&lt;cell&gt;-api</c> with a reseller's host and a bearer token.</summary>
    public HttpClient ResellerClient(string cell, string host, string token)
    {
        var client = ResellerClient(cell, host);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// A client of <c>&lt;cell&gt;-api</c> acting as <paramref name="reseller"/>'s integrator (its host, a client-credentials
    /// token with every integrator scope).
    /// </summary>
    public async Task<HttpClient> IntegratorClientAsync(string cell, string reseller) =>
        ResellerClient(cell, $"{reseller}.{cell}.localhost", await IntegratorTokenAsync(cell, reseller));

    /// <summary>The platform's API key at the cell's payment service (the test passes it, as an operator would).</summary>
    public static string PspApiKey(string cell) => $"{cell}-psp-test-key-5e2b91";

    /// <summary>A client of the cell's payment service with the platform's API key (test endpoints: faults, webhooks sent).</summary>
    public HttpClient PspClient(string cell)
    {
        var client = new HttpClient { BaseAddress = App.GetEndpoint($"{cell}-payments", "http"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PspApiKey(cell));
        return client;
    }

    /// <summary>A client-credentials token of <paramref name="reseller"/>'s integrator (cached for the run).</summary>
    public Task<string> IntegratorTokenAsync(string cell, string reseller, string scope = Tokens.AllIntegratorScopes)
    {
        lock (_tokens)
        {
            var key = $"{cell}/{reseller}/{scope}";
            if (!_tokens.TryGetValue(key, out var token))
            {
                _tokens[key] = token = Tokens.ClientCredentialsAsync(this, cell, reseller, $"{reseller}-backend", ClientSecret(reseller), scope);
            }

            return token;
        }
    }

    /// <summary>An HTTP client of the cell's identity service.</summary>
    public HttpClient IdentityClient(string cell, bool followRedirects = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = false })
        {
            BaseAddress = App.GetEndpoint($"{cell}-identity", "http"),
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A connection to a reseller's (or the catalog) database on the cell's Postgres server.</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync(string cell, string database)
    {
        var server = await App.GetConnectionStringAsync($"{cell}-postgres") ?? throw new InvalidOperationException("no connection string");
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>A connection to a reseller's own Redis-protocol server.</summary>
    public async Task<ConnectionMultiplexer> ConnectRedisAsync(string cell, string reseller)
    {
        var endpoint = App.GetEndpoint($"{cell}-{reseller}-redis", "tcp");
        return await ConnectionMultiplexer.ConnectAsync($"{endpoint.Host}:{endpoint.Port},allowAdmin=true");
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
