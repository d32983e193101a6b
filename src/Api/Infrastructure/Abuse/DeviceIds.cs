using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TicketAspire.Api.Infrastructure.Abuse;

/// <summary>
/// Device ids the API issues (<c>POST /v1/devices</c>) and the hold guard accepts in <c>X-Device-Id</c>:
/// <c>dv1.{random}.{mac}</c>, 16 random bytes and the first 16 bytes of an HMAC-SHA256 over the reseller and the random
/// part with the cell's key (<see cref="AbuseOptions.DeviceIdKey"/>), both base64url. A made-up id has no valid mac, so a
/// caller cannot open a fresh per-device budget per request; each new id costs one of the per-address issuance budget.
/// </summary>
public sealed class DeviceIds
{
    private const string Version = "dv1";
    private const int RandomBytes = 16;
    private const int MacBytes = 16;
    private readonly byte[] _key;

    /// <summary>Keyed with <c>Abuse:DeviceIdKey</c>; without one, a random key of this process (ids do not survive it).</summary>
    public DeviceIds(IOptions<AbuseOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.DeviceIdKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>A new device id of <paramref name="reseller"/>.</summary>
    public string Issue(string reseller)
    {
        var random = Base64Url(RandomNumberGenerator.GetBytes(RandomBytes));
        return $"{Version}.{random}.{Mac(reseller, random)}";
    }

    /// <summary>True when <paramref name="id"/> was issued for <paramref name="reseller"/> with this key.</summary>
    public bool IsIssued(string reseller, [NotNullWhen(true)] string? id)
    {
        if (id is not { Length: <= 64 } || id.Split('.') is not [Version, var random, var mac] || random.Length != 22)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(reseller, random)));
    }

    private string Mac(string reseller, string random) =>
        Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{Version}.{reseller}.{random}")).AsSpan(0, MacBytes));

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
