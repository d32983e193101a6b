using System.Net;
using System.Net.Sockets;

namespace TicketAspire.Webhooks.Services;

/// <summary>
/// Which URLs webhooks may be sent to (server-side request forgery): absolute <c>https</c> URLs without user info whose
/// host resolves only to public addresses. A development cell also allows <c>http</c> and non-public addresses (tests
/// receive on loopback). The deliverer checks every address again when it connects, so DNS answers that change after
/// registration do not reach a private network.
/// </summary>
public sealed class WebhookUrlPolicy(bool development, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));

    /// <summary>True in a development cell.</summary>
    public bool Development { get; } = development;

    /// <summary>Null when <paramref name="url"/> may be registered, else why not.</summary>
    public async Task<string?> RefusalAsync(string? url, CancellationToken ct)
    {
        if (CheckSyntax(url, out var uri) is { } syntax)
        {
            return syntax;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri!.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(uri.IdnHost, ct);
            }
            catch (SocketException ex)
            {
                return $"the host '{uri.Host}' does not resolve ({ex.SocketErrorCode})";
            }

            if (addresses.Length == 0)
            {
                return $"the host '{uri.Host}' does not resolve";
            }
        }

        // the refusal names the host the caller gave, never what the cell's resolver answered (that would map the
        // internal network for whoever registers URLs)
        return Development || addresses.All(IsPublic) ? null : $"the host '{uri.Host}' resolves to a non-public address";
    }

    /// <summary>The checks that need no DNS: absolute, https (http too in development), no user info, no local names.</summary>
    public string? CheckSyntax(string? url, out Uri? uri)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.IsFile || uri.IsUnc)
        {
            return "not an absolute URL";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(Development && uri.Scheme == Uri.UriSchemeHttp))
        {
            return Development ? "the scheme must be https or http" : "the scheme must be https";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "user info (user:password@) is not allowed in the URL";
        }

        if (uri.Fragment.Length > 0)
        {
            return "a fragment (#…) is not allowed in the URL";
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (!Development && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || host.EndsWith(".local", StringComparison.Ordinal)
            || host.EndsWith(".internal", StringComparison.Ordinal) || host.EndsWith(".localdomain", StringComparison.Ordinal) || (!host.Contains('.', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _))))
        {
            return $"the host '{uri.Host}' is a local name";
        }

        return null;
    }

    /// <summary>
    /// True for a globally routable unicast address: not loopback, private (RFC 1918, fc00::/7), link-local, CGNAT
    /// (100.64/10), unspecified, multicast, broadcast, documentation or reserved ranges, nor an IPv4-mapped or
    /// IPv4-compatible IPv6 address of those.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                     // 0/8 "this network", 0.0.0.0
                || b[0] == 10                                      // 10/8
                || b[0] == 127                                     // loopback
                || (b[0] == 100 && (b[1] & 0xC0) == 64)            // 100.64/10 CGNAT
                || (b[0] == 169 && b[1] == 254)                    // link-local (cloud metadata)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)            // 172.16/12
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)         // 192.0.0/24 IETF protocol assignments
                || (b[0] == 192 && b[1] == 0 && b[2] == 2)         // TEST-NET-1
                || (b[0] == 192 && b[1] == 168)                    // 192.168/16
                || (b[0] == 198 && (b[1] & 0xFE) == 18)            // 198.18/15 benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)      // TEST-NET-2
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)       // TEST-NET-3
                || b[0] >= 224);                                   // multicast, reserved, 255.255.255.255 broadcast
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var v6 = address.GetAddressBytes();
        if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6None.Equals(address) || address.IsIPv6Multicast
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
        {
            return false;
        }

        // ::/96 (IPv4-compatible, deprecated) and 64:ff9b::/96 (NAT64) carry an IPv4 address: judge that one
        var first12Zero = v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var nat64 = v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        if (first12Zero || nat64)
        {
            return IsPublic(new IPAddress(v6.AsSpan(12, 4)));
        }

        // 2001:db8::/32 documentation; 100::/64 discard; everything outside 2000::/3 is not global unicast
        if ((v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) || (v6[0] == 0x01 && v6[1] == 0x00))
        {
            return false;
        }

        return (v6[0] & 0xE0) == 0x20;
    }
}
