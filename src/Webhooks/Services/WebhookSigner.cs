using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TicketAspire.Webhooks.Services;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> keyed with the
/// base64-decoded secret (without its <c>whsec_</c> prefix); several secrets give several space-separated signatures.
/// </summary>
public static class WebhookSigner
{
    /// <summary>Prefix of every secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new random secret: <c>whsec_</c> + base64 of 32 bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>One signature (<c>v1,…</c>).</summary>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per secret, space-separated.</summary>
    public static string SignatureHeader(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, messageId, timestamp, body)));
}
