using System.Security.Cryptography;
using System.Text;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>The tokens of e-mailed links (registration, console invitation): 32 random bytes, only their SHA-256 stored.</summary>
internal static class LinkTokens
{
    /// <summary>A new token, base64url without padding.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored of <paramref name="token"/>.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
