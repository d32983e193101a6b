using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace TicketAspire.Identity.Infrastructure.Users;

/// <summary>
/// Argon2id password hashes (RFC 9106) in the PHC string format, with OWASP's baseline parameters: 19 MiB of memory,
/// 2 passes, 1 lane, a 16-byte random salt, a 32-byte tag. Stored parameters travel with each hash, so raising them later
/// only affects new hashes (and <see cref="NeedsRehash"/> tells when to upgrade one at the next login).
/// </summary>
public static class PasswordHasher
{
    private const int MemoryKiB = 19_456;
    private const int Passes = 2;
    private const int Lanes = 1;
    private const int SaltBytes = 16;
    private const int TagBytes = 32;

    // verified against when the e-mail is unknown, so a miss costs the same time as a wrong password
    private static readonly Lazy<string> Decoy = new(() => Hash("decoy password that matches nothing"));

    /// <summary>Hashes <paramref name="password"/> with a fresh salt.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var tag = Derive(password, salt, MemoryKiB, Passes, Lanes, TagBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={MemoryKiB},t={Passes},p={Lanes}${B64(salt)}${B64(tag)}");
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="phc"/> (constant-time comparison).</summary>
    public static bool Verify(string phc, string password)
    {
        ArgumentNullException.ThrowIfNull(phc);
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(phc, out var m, out var t, out var p, out var salt, out var tag))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Derive(password, salt, m, t, p, tag.Length), tag);
    }

    /// <summary>Spends the time of one verification without any account (unknown e-mail addresses).</summary>
    public static void VerifyDecoy(string password) => Verify(Decoy.Value, password);

    /// <summary>True when <paramref name="phc"/> was made with weaker parameters than today's.</summary>
    public static bool NeedsRehash(string phc) =>
        !TryParse(phc, out var m, out var t, out var p, out _, out _) || m < MemoryKiB || t < Passes || p != Lanes;

    private static byte[] Derive(string password, byte[] salt, int memoryKiB, int passes, int lanes, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = passes,
            DegreeOfParallelism = lanes,
        };
        return argon.GetBytes(length);
    }

    private static bool TryParse(string phc, out int m, out int t, out int p, out byte[] salt, out byte[] tag)
    {
        (m, t, p, salt, tag) = (0, 0, 0, [], []);
        var parts = phc.Split('$');
        if (parts is not ["", "argon2id", "v=19", var parameters, var saltText, var tagText])
        {
            return false;
        }

        foreach (var pair in parameters.Split(','))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            switch (kv[0])
            {
                case "m": m = value; break;
                case "t": t = value; break;
                case "p": p = value; break;
                default: return false;
            }
        }

        try
        {
            (salt, tag) = (FromB64(saltText), FromB64(tagText));
        }
        catch (FormatException)
        {
            return false;
        }

        return m is >= 8 and <= 4_194_304 && t is >= 1 and <= 100 && p is >= 1 and <= 64 && salt.Length >= 8 && tag.Length >= 16;
    }

    // PHC strings use unpadded standard base64
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
