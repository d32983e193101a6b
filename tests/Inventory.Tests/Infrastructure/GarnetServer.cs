using StackExchange.Redis;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>
/// An in-process Microsoft Garnet server (the Redis-protocol server each reseller gets) on a free loopback port, with a
/// StackExchange.Redis connection to it.
/// </summary>
public sealed class GarnetServer : IAsyncLifetime, IDisposable
{
    private global::Garnet.GarnetServer? _server;
    private ConnectionMultiplexer? _redis;

    /// <summary>The port Garnet listens on.</summary>
    public int Port { get; } = FreePort.Next();

    /// <summary>A connection to the server.</summary>
    public IConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("Garnet is not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // --lua as in src/GarnetHost: scripts (the API's rate limiter) run as they do in the cells
        _server = new global::Garnet.GarnetServer(["--port", port, "--bind", "127.0.0.1", "--lua", "--memory", "64m", "--index", "1m"]);
        _server.Start();
        _redis = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", Port } },
            AllowAdmin = true,
            ConnectTimeout = 5000,
        });
    }

    /// <summary>Empties the server (each test starts from no keys).</summary>
    public async Task FlushAsync()
    {
        foreach (var endpoint in Redis.GetEndPoints())
        {
            await Redis.GetServer(endpoint).FlushAllDatabasesAsync();
        }
    }

    /// <summary>Closes the connection (xunit calls this first, then <see cref="Dispose"/>).</summary>
    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.CloseAsync();
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Stops the server.</summary>
    public void Dispose() => _server?.Dispose();
}
