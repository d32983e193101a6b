using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketAspire.Inventory.CheckIn;

/// <summary>
/// Signs and verifies ticket QR payloads with ECDSA P-256 (ES256). Each reseller has its own key pair, derived from the
/// cell's secret seed (<c>Tickets:SigningSeed</c>) with HKDF-SHA256 and the reseller's id, so every replica of the API
/// and the worker derives the same keys without storing a private key anywhere, and a scanner holding one reseller's
/// public key accepts none of another reseller's tickets.
/// A payload is <c>TA1.&lt;base64url(JSON)&gt;.&lt;base64url(r‖s)&gt;</c>; the JSON names the key (<c>k</c>), the
/// ticket (<c>t</c>), its event (<c>e</c>), its code (<c>c</c>) and its seat (<c>s</c>). A scanner verifies it offline
/// with the event's public key (<see cref="PublicKeyOf"/>); only the check-in API can tell a ticket that died since.
/// </summary>
public sealed class TicketSigner
{
    /// <summary>The prefix and version of a payload.</summary>
    public const string Prefix = "TA1";

    /// <summary>Longest payload accepted for verification (a real one is about 300 characters).</summary>
    public const int MaxPayloadLength = 1024;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly byte[] _seed;
    private readonly ConcurrentDictionary<string, ResellerKey> _keys = new(StringComparer.Ordinal);

    /// <summary>Signs with keys derived from <paramref name="signingSeed"/> (the cell's secret, at least 32 characters).</summary>
    public TicketSigner(string signingSeed)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSeed);
        if (signingSeed.Length < 32)
        {
            throw new ArgumentException("The ticket signing seed needs at least 32 characters.", nameof(signingSeed));
        }

        _seed = Encoding.UTF8.GetBytes(signingSeed);
    }

    /// <summary>The public key tickets of <paramref name="resellerId"/> are signed with.</summary>
    public TicketPublicKey PublicKeyOf(string resellerId) => KeyOf(resellerId).Public;

    /// <summary>The signed QR payload of <paramref name="ticket"/>, a ticket of <paramref name="resellerId"/>.</summary>
    public string Sign(string resellerId, TicketQrClaims ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = KeyOf(resellerId);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Body(key.Public.Kid, ticket.TicketId, ticket.EventId, ticket.Code, ticket.Seat), Json);
        var encoded = Base64Url.EncodeToString(body);
        var signature = key.Ecdsa.SignData(Encoding.ASCII.GetBytes($"{Prefix}.{encoded}"), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{Prefix}.{encoded}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>
    /// Verifies <paramref name="payload"/> against <paramref name="resellerId"/>'s key: the claims, or null when it is
    /// malformed, signed by another key or altered.
    /// </summary>
    public TicketQrClaims? Verify(string resellerId, string? payload)
    {
        if (string.IsNullOrEmpty(payload) || payload.Length > MaxPayloadLength)
        {
            return null;
        }

        var parts = payload.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix)
        {
            return null;
        }

        try
        {
            var body = Base64Url.DecodeFromChars(parts[1]);
            var signature = Base64Url.DecodeFromChars(parts[2]);
            var key = KeyOf(resellerId);
            if (signature.Length != 64 || !key.Ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{Prefix}.{parts[1]}"), signature, HashAlgorithmName.SHA256,
                    DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return null;
            }

            var claims = JsonSerializer.Deserialize<Body>(body, Json);
            return claims is { K: { } kid, C: { Length: > 0 } code } && kid == key.Public.Kid && claims.T != Guid.Empty
                ? new TicketQrClaims(claims.T, claims.E, code, claims.S)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private ResellerKey KeyOf(string resellerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(resellerId);
        return _keys.GetOrAdd(resellerId, Derive);
    }

    private ResellerKey Derive(string resellerId)
    {
        // a P-256 private scalar from the seed: HKDF output below the group order (the first try succeeds but for a
        // chance of about 2^-32; the counter makes it total)
        var order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        for (var attempt = 0; ; attempt++)
        {
            var d = HKDF.DeriveKey(HashAlgorithmName.SHA256, _seed, 32, salt: Encoding.UTF8.GetBytes("ticketaspire/ticket-signing/v1"),
                info: Encoding.UTF8.GetBytes($"{resellerId}/{attempt}"));
            if (d.AsSpan().SequenceCompareTo(order) >= 0 || d.All(b => b == 0))
            {
                continue;
            }

            var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            var point = ecdsa.ExportParameters(false).Q;
            var spki = ecdsa.ExportSubjectPublicKeyInfo();
            var kid = Convert.ToHexStringLower(SHA256.HashData(spki).AsSpan(0, 8));
            return new ResellerKey(ecdsa, new TicketPublicKey(kid, "ES256", "EC", "P-256", Base64Url.EncodeToString(point.X), Base64Url.EncodeToString(point.Y),
                Convert.ToBase64String(spki)));
        }
    }

    private sealed record Body(string? K, Guid T, Guid E, string? C, string? S);

    private sealed record ResellerKey(ECDsa Ecdsa, TicketPublicKey Public);
}

/// <summary>What a ticket's QR payload says: the ticket, its event, its code and its seat (for the gate's screen).</summary>
public sealed record TicketQrClaims(Guid TicketId, Guid EventId, string Code, string? Seat);

/// <summary>
/// A reseller's ticket signing public key: its id (<c>kid</c>, the first 8 bytes of the SHA-256 of the SPKI, hex), the
/// algorithm, and the key as a JWK (<c>kty</c>, <c>crv</c>, <c>x</c>, <c>y</c>) and as base64 DER SubjectPublicKeyInfo.
/// </summary>
public sealed record TicketPublicKey(string Kid, string Alg, string Kty, string Crv, string X, string Y, string Spki);
