using System.Net;
using System.Net.Sockets;

namespace TicketAspire.Webhooks.Services;

/// <summary>
/// The HTTP client webhooks are sent with: no redirects followed, no cookies, no proxy, a timeout per attempt, and a
/// connect callback that resolves the host itself and connects only to public addresses (unless the cell is a development
/// cell), so neither a changed DNS answer nor a redirect reaches a private network.
/// </summary>
public static class WebhookHttpClient
{
    /// <summary>A new client; the caller keeps it for the process's lifetime.</summary>
    public static HttpClient Create(WebhookOptions options, bool development)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.RequestTimeout,
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, development, ct),
        };
        return new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool development, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = development ? addresses : [.. addresses.Where(WebhookUrlPolicy.IsPublic)];
        if (allowed.Length == 0)
        {
            // kept as the delivery's last_error, which the reseller reads: no resolver answers in it
            throw new HttpRequestException($"refused to connect to '{endpoint.Host}': it resolves to no public address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
