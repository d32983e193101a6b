using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy.Tests;

public sealed class ResellerRedisConnectionsShould : IAsyncDisposable
{
    private readonly ResellerRedisConnections _connections = new(
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis-acme"] = "127.0.0.1:1" })
            .Build(),
        Microsoft.Extensions.Options.Options.Create(new ResellerStorageOptions()),
        new FakeTimeProvider(DateTimeOffset.UtcNow));

    [Fact]
    public void UseTheConnectionStringNamedAfterTheReseller()
    {
        Assert.Equal("127.0.0.1:1", _connections.ConnectionStringFor(Resellers.Acme));
        Assert.Throws<InvalidOperationException>(() => _connections.ConnectionStringFor(Resellers.Globex));
    }

    [Fact]
    public async Task HandOutADisconnectedConnectionRatherThanFailWhenRedisIsDown()
    {
        var redis = await _connections.GetAsync(Resellers.Acme).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(redis.IsConnected);
        Assert.Same(redis, await _connections.GetAsync(Resellers.Acme));
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
