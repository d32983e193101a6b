using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// Signs and verifies admission tokens: <c>base64url(payload).base64url(HMAC-SHA256(payload))</c>, the payload binding the
/// reseller, event, customer, the queue entry's token id and an expiry. The signature proves the token was issued by this
/// cell; that it is still unused is checked against the queue entry when a hold consumes it.
/// </summary>
public sealed class AdmissionTokens
{
    private readonly byte[] _key;

    /// <summary>Signs with <paramref name="signingKey"/> (the cell's <c>WaitingRoom:SigningKey</c>, at least 32 characters).</summary>
    public AdmissionTokens(string signingKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        if (signingKey.Length < 32)
        {
            throw new ArgumentException("The admission signing key needs at least 32 characters.", nameof(signingKey));
        }

        _key = Encoding.UTF8.GetBytes(signingKey);
    }

    /// <summary>A token for <paramref name="claims"/>.</summary>
    public string Issue(AdmissionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(claims.Reseller, claims.EventId, claims.CustomerRef, claims.TokenId, claims.ExpiresAt.ToUnixTimeSeconds()));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>
    /// Checks signature, expiry and binding: the token must be for <paramref name="reseller"/>, <paramref name="eventId"/> and
    /// <paramref name="customerRef"/>, and not expired at <paramref name="now"/>. Returns the claims, or the reason it fails.
    /// </summary>
    public AdmissionCheck Verify(string? token, string reseller, Guid eventId, string customerRef, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return new AdmissionCheck(null, AdmissionFailure.Missing);
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1 || token.Length > 2048)
        {
            return new AdmissionCheck(null, AdmissionFailure.Invalid);
        }

        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return new AdmissionCheck(null, AdmissionFailure.Invalid);
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payload)))
        {
            return new AdmissionCheck(null, AdmissionFailure.Invalid);
        }

        Payload? p;
        try
        {
            p = JsonSerializer.Deserialize<Payload>(payload);
        }
        catch (JsonException)
        {
            return new AdmissionCheck(null, AdmissionFailure.Invalid);
        }

        if (p is null || p.Reseller is null || p.CustomerRef is null)
        {
            return new AdmissionCheck(null, AdmissionFailure.Invalid);
        }

        var claims = new AdmissionClaims(p.Reseller, p.EventId, p.CustomerRef, p.TokenId, DateTimeOffset.FromUnixTimeSeconds(p.Expires));
        if (!string.Equals(claims.Reseller, reseller, StringComparison.Ordinal) || claims.EventId != eventId)
        {
            return new AdmissionCheck(claims, AdmissionFailure.OtherEvent);
        }

        if (!string.Equals(claims.CustomerRef, customerRef, StringComparison.Ordinal))
        {
            return new AdmissionCheck(claims, AdmissionFailure.OtherCustomer);
        }

        return claims.ExpiresAt <= now ? new AdmissionCheck(claims, AdmissionFailure.Expired) : new AdmissionCheck(claims, null);
    }

    private sealed record Payload(
        [property: JsonPropertyName("r")] string Reseller,
        [property: JsonPropertyName("e")] Guid EventId,
        [property: JsonPropertyName("c")] string CustomerRef,
        [property: JsonPropertyName("j")] Guid TokenId,
        [property: JsonPropertyName("x")] long Expires);
}

/// <summary>What an admission token says: who may hold on which event until when, and the queue entry's token id.</summary>
public sealed record AdmissionClaims(string Reseller, Guid EventId, string CustomerRef, Guid TokenId, DateTimeOffset ExpiresAt);

/// <summary>The outcome of verifying a token: its claims when readable, and the failure if any.</summary>
public sealed record AdmissionCheck(AdmissionClaims? Claims, AdmissionFailure? Failure);

/// <summary>Why an admission token was refused.</summary>
public enum AdmissionFailure
{
    /// <summary>No token was sent.</summary>
    Missing = 0,

    /// <summary>Not a token of this cell (malformed or a bad signature).</summary>
    Invalid = 1,

    /// <summary>Issued for another event or reseller.</summary>
    OtherEvent = 2,

    /// <summary>Issued to another customer.</summary>
    OtherCustomer = 3,

    /// <summary>Past its expiry.</summary>
    Expired = 4,

    /// <summary>Already used for a hold.</summary>
    Used = 5,
}
