using System.Security.Cryptography;
using System.Text;

namespace TicketAspire.Tenancy.Data;

/// <summary>
/// Secrets of resellers onboarded at run time, derived from the cell's onboarding key
/// (<see cref="ResellerStorageOptions.OnboardingKey"/>, an Aspire parameter every service of the cell receives) so that
/// none is stored in the catalog: each database login role's password is HMAC-SHA256(key, "db-password:" + role), and
/// the integrator client secret travels from the API to the provisioner encrypted with AES-GCM under a key derived the
/// same way. Services started before the reseller existed can therefore open its database without a restart.
/// </summary>
public static class ResellerSecrets
{
    /// <summary>The password of <paramref name="role"/> (printable ASCII, base64url, 43 characters).</summary>
    public static string DatabasePassword(string onboardingKey, string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(onboardingKey);
        ArgumentException.ThrowIfNullOrEmpty(role);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(onboardingKey), Encoding.UTF8.GetBytes("db-password:" + role));
        return Base64Url(mac);
    }

    /// <summary>The context an onboarding's integrator secret is sealed with: binds it to the reseller.</summary>
    public static string IntegratorSecretContext(string resellerId) => "integrator-secret:" + resellerId;

    /// <summary>A new client secret: 32 random bytes, base64url.</summary>
    public static string NewClientSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Encrypts <paramref name="secret"/> for the provisioner (nonce ‖ tag ‖ ciphertext), bound to <paramref name="context"/>.</summary>
    public static byte[] Seal(string onboardingKey, string secret, string context)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(context);
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[12 + 16 + plain.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(SealKey(onboardingKey), 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), Encoding.UTF8.GetBytes(context));
        return sealedBytes;
    }

    /// <summary>Decrypts what <see cref="Seal"/> produced; throws <see cref="CryptographicException"/> when it was altered or the key or context differ.</summary>
    public static string Open(string onboardingKey, byte[] sealedBytes, string context)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        if (sealedBytes.Length < 29)
        {
            throw new CryptographicException("The sealed secret is too short.");
        }

        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(SealKey(onboardingKey), 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] SealKey(string onboardingKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(onboardingKey);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(onboardingKey), "client-secret-seal"u8);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
