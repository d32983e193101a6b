using System.Net;
using System.Net.Sockets;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>Free loopback TCP ports for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now (the OS picks it; it is released before returning).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
