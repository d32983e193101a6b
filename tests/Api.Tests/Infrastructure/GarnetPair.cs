using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Api.Tests.Infrastructure;

/// <summary>Two in-process Garnet servers: acme's Redis and globex's Redis.</summary>
public sealed class GarnetPair : IAsyncLifetime
{
    public GarnetServer Acme { get; } = new();

    public GarnetServer Globex { get; } = new();

    public string AcmeEndpoint => $"127.0.0.1:{Acme.Port}";

    public string GlobexEndpoint => $"127.0.0.1:{Globex.Port}";

    public async Task InitializeAsync()
    {
        await Acme.InitializeAsync();
        await Globex.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Acme.DisposeAsync();
        await Globex.DisposeAsync();
        Acme.Dispose();
        Globex.Dispose();
    }
}
