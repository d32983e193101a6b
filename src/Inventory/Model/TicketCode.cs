using System.Security.Cryptography;

namespace TicketAspire.Inventory.Model;

/// <summary>Unguessable ticket codes: 130 random bits in Crockford base32, prefixed <c>TA-</c>.</summary>
public static class TicketCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new code such as <c>TA-7M2Q…</c> (29 characters).</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(29, bytes.ToArray(), static (span, b) =>
        {
            span[0] = 'T';
            span[1] = 'A';
            span[2] = '-';
            for (var i = 0; i < 26; i++)
            {
                span[3 + i] = Alphabet[b[i] & 31];
            }
        });
    }
}
