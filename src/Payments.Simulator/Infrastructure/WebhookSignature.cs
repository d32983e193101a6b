using System.Security.Cryptography;
using System.Text;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Standard Webhooks signatures: <c>v1,</c> + base64(HMAC-SHA256(UTF-8 secret, "{id}.{timestamp}.{body}")).</summary>
public static class WebhookSignature
{
    /// <summary>The <c>webhook-signature</c> header value.</summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
