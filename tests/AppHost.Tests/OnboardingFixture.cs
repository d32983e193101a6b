using Aspire.Hosting;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// An AppHost of its own for the onboarding tests (the eu cell alone, two API replicas, the router): onboarding adds a
/// reseller, a database and a Redis server to the cell, and the latency of an existing reseller is measured while it
/// happens, so nothing else may run on it.
/// </summary>
public sealed class OnboardingFixture : IAsyncLifetime
{
    public const string Cell = "eu";

    private OwnAppHost? _host;

    public DistributedApplication App => (_host ?? throw new InvalidOperationException("not started")).App;

    /// <summary>Where the cell's data lives (exports under <c>eu-exports/</c>).</summary>
    public string DataDir => _host!.DataDir;

    public async Task InitializeAsync()
    {
        _host = await OwnAppHost.StartAsync("ta-onb",
            ["TicketAspire:Cells=eu", "TicketAspire:Durable=false", "TicketAspire:ApiReplicas=2",
             $"Parameters:eu-acme-client-secret={PlatformFixture.ClientSecret("acme")}",
             $"Parameters:eu-operator-client-secret={PlatformFixture.StaffSecret("eu", "operator")}",
             $"Parameters:eu-payments-api-key={PlatformFixture.PspApiKey("eu")}",
             "TicketAspire:RateLimiting:DeviceIds:PermitLimit=1000"],
            ["eu-api", "eu-identity", "eu-worker", "eu-payments", "eu-provisioner", "eu-acme-db", "router"]);
        // the router is healthy before its own probe has found eu-api
        using var router = RouterClient("acme.eu.localhost");
        await Eventually.GetAsync(async () =>
        {
            using var response = await router.GetAsync("/v1/rules");
            return response.IsSuccessStatusCode ? "ok" : null;
        }, "the router reaching eu-api", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>A client of <c>eu-api</c> with a reseller's host (and a token).</summary>
    public HttpClient ApiClient(string host, string? token = null) => Client("eu-api", host, token);

    /// <summary>A client of the router with a reseller's host (and a token).</summary>
    public HttpClient RouterClient(string host, string? token = null) => Client("router", host, token);

    /// <summary>A client of the cell's identity service.</summary>
    public HttpClient IdentityClient() => new() { BaseAddress = App.GetEndpoint("eu-identity", "http"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>An operator's token (the cell's operator client on the platform issuer).</summary>
    public async Task<string> OperatorTokenAsync()
    {
        using var identity = IdentityClient();
        return await Tokens.ClientCredentialsAsync(identity, "platform", "eu-operator", PlatformFixture.StaffSecret("eu", "operator"), "operator");
    }

    /// <summary>A client of <c>eu-api</c> as the cell's operator (no reseller host: cell administration).</summary>
    public async Task<HttpClient> OperatorClientAsync() => ApiClient("localhost", await OperatorTokenAsync());

    /// <summary>A superuser connection to a database of the cell's server.</summary>
    public async Task<Npgsql.NpgsqlConnection> OpenDatabaseAsync(string database)
    {
        var server = await App.GetConnectionStringAsync("eu-postgres") ?? throw new InvalidOperationException("no connection string");
        var conn = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private HttpClient Client(string resource, string host, string? token)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var client = new HttpClient(handler) { BaseAddress = App.GetEndpoint(resource, "http"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Host = host;
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
