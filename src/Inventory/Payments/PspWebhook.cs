using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TicketAspire.Inventory.Payments;

/// <summary>An event the PSP sent (Standard Webhooks envelope): its id, type and the object it is about (<c>data.object</c>).</summary>
public sealed record PspWebhook(string Id, string Type, JsonObject Data)
{
    /// <summary>
    /// Verifies a Standard Webhooks signature (<c>v1,</c> base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, key = UTF-8
    /// bytes of <paramref name="secret"/>) and the timestamp's freshness, then parses the body; null when anything is off.
    /// </summary>
    public static PspWebhook? Verify(string body, string? id, string? timestamp, string? signatures, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!HasFreshHeaders(id, timestamp, signatures, now, tolerance))
        {
            return null;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        var valid = false;
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate.StartsWith("v1,", StringComparison.Ordinal))
            {
                var bytes = new byte[64];
                if (Convert.TryFromBase64String(candidate[3..], bytes, out var written) && CryptographicOperations.FixedTimeEquals(bytes.AsSpan(0, written), expected))
                {
                    valid = true;
                }
            }
        }

        if (!valid)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body) is JsonObject root && (string?)root["type"] is { } type && root["data"]?["object"] is JsonObject obj
                ? new PspWebhook((string?)root["id"] ?? id, type, obj)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The checks that need no body: an id, a signature header and a timestamp within <paramref name="tolerance"/> of
    /// <paramref name="now"/>. A request that fails them is refused before its body is read.
    /// </summary>
    public static bool HasFreshHeaders(
        [NotNullWhen(true)] string? id, string? timestamp, [NotNullWhen(true)] string? signatures, DateTimeOffset now, TimeSpan tolerance) =>
        !string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(signatures)
        && long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalSeconds) <= tolerance.TotalSeconds;

    /// <summary>The reseller the event concerns (the platform puts it in every intent's metadata).</summary>
    public string? Reseller => (string?)Data["metadata"]?["reseller"];

    /// <summary>The payment intent the event concerns.</summary>
    public string? IntentId => Type.StartsWith("payment_intent.", StringComparison.Ordinal) ? (string?)Data["id"] : (string?)Data["payment_intent"];
}
