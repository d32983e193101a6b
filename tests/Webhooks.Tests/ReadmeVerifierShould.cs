using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Webhooks.Tests;

/// <summary>The receiver example of the README, verbatim, so the documentation stays right.</summary>
public sealed class ReadmeVerifierShould
{
    static bool Verify(string secret, IHeaderDictionary headers, string body)
    {
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        if (!long.TryParse(timestamp, out var unix) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - unix) > 300)
            return false;                                                // replayed or stale
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return headers["webhook-signature"].ToString().Split(' ')        // several while a secret rotates
            .Select(s => s.Split(',', 2))
            .Any(p => p.Length == 2 && p[0] == "v1" && CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(p[1]), Encoding.ASCII.GetBytes(expected)));
    }

    [Fact]
    public void AcceptEitherSignatureOfARotationAndRefuseTamperingAndStaleTimestamps()
    {
        string oldSecret = WebhookSigner.NewSecret(), newSecret = WebhookSigner.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string Body = "{\"type\":\"order.confirmed\",\"data\":{}}";
        var headers = WebhookSignerShould.Headers("msg_1", now, WebhookSigner.SignatureHeader([newSecret, oldSecret], "msg_1", now, Body));

        Assert.True(Verify(oldSecret, headers, Body));
        Assert.True(Verify(newSecret, headers, Body));
        Assert.False(Verify(WebhookSigner.NewSecret(), headers, Body));
        Assert.False(Verify(newSecret, headers, Body + " "));
        var stale = WebhookSignerShould.Headers("msg_1", now - 600, WebhookSigner.SignatureHeader([newSecret], "msg_1", now - 600, Body));
        Assert.False(Verify(newSecret, stale, Body));
    }
}
