using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// The cell's key ring: every signing and encryption certificate from configuration or from the key directory. Expired
/// certificates are skipped; the others are published (signing) or kept for decryption (encryption); the one in use is
/// the currently valid certificate with the furthest expiry, the rule OpenIddict applies when it sorts its credentials.
/// A certificate not valid yet is published but not used, which is how a new key is pre-published
/// (<c>docs/key-rollover.md</c>).
/// </summary>
public static class CellKeyRing
{
    /// <summary>Lifetime of a generated key unless told otherwise.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(730);

    private const string Section = IdentityKeyOptions.Section;

    /// <summary>
    /// Loads the ring: the configured certificates if there are any, else every key file of
    /// <see cref="IdentityKeyOptions.Directory"/>, generating one of each kind there first if it holds none.
    /// </summary>
    /// <exception cref="InvalidOperationException">A certificate cannot be used, or no signing or encryption certificate is
    /// valid now; the message names the configuration key or file.</exception>
    public static CellKeySet Load(IdentityKeyOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var now = time.GetUtcNow();
        if (options.HasConfiguredCertificates)
        {
            const string signing = $"{Section}:SigningCertificates", encryption = $"{Section}:EncryptionCertificates";
            return new CellKeySet(
                Usable(FromConfiguration(options.SigningCertificates, signing), KeyKind.Signing, signing, now, logger),
                Usable(FromConfiguration(options.EncryptionCertificates, encryption), KeyKind.Encryption, encryption, now, logger));
        }

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            throw new InvalidOperationException($"No identity keys are configured: set {Section}:Directory (development) or " +
                $"{Section}:SigningCertificates and {Section}:EncryptionCertificates (production).");
        }

        var directory = options.Directory;
        var where = $"{Section}:Directory ({directory})";
        return new CellKeySet(
            Usable(FromDirectory(directory, KeyKind.Signing, options.Password, now, logger), KeyKind.Signing, where, now, logger),
            Usable(FromDirectory(directory, KeyKind.Encryption, options.Password, now, logger), KeyKind.Encryption, where, now, logger));
    }

    /// <summary>
    /// Creates a new key file <c>&lt;kind&gt;-&lt;notBefore, yyyyMMddTHHmmssZ&gt;.pfx</c> in the directory (mode 0600), valid
    /// from <paramref name="notBefore"/> for <paramref name="lifetime"/>, and returns its path.
    /// </summary>
    /// <exception cref="IOException">A key file of that name exists already.</exception>
    public static string AddKey(string directory, KeyKind kind, DateTimeOffset notBefore, TimeSpan lifetime, string? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var name = $"{KeyFile.Prefix(kind)}-{notBefore.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.pfx";
        return KeyFile.Create(directory, name, kind, notBefore, notBefore + lifetime, password)
            ?? throw new IOException($"{Path.Combine(directory, name)} exists already.");
    }

    /// <summary>
    /// Orders certificates the way they are used at <paramref name="now"/>: valid ones first, the furthest expiry first
    /// (then the latest start); then those not valid yet; expired ones last.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> Order(IEnumerable<X509Certificate2> certificates, DateTimeOffset now) =>
        [.. certificates.OrderBy(c => Rank(c, now)).ThenByDescending(c => c.NotAfter).ThenByDescending(c => c.NotBefore)];

    /// <summary>Whether the certificate is valid at <paramref name="now"/> (started, not expired).</summary>
    public static bool IsValid(X509Certificate2 certificate, DateTimeOffset now) => Rank(certificate, now) == 0;

    /// <summary>Whether the certificate has expired at <paramref name="now"/>.</summary>
    public static bool IsExpired(X509Certificate2 certificate, DateTimeOffset now) => Rank(certificate, now) == 2;

    private static int Rank(X509Certificate2 certificate, DateTimeOffset now) =>
        certificate.NotAfter.ToUniversalTime() < now.UtcDateTime ? 2
        : certificate.NotBefore.ToUniversalTime() > now.UtcDateTime ? 1
        : 0;

    private static List<(X509Certificate2 Certificate, string Source)> FromConfiguration(
        List<IdentityCertificateOptions> sources, string key)
    {
        if (sources.Count == 0)
        {
            throw new InvalidOperationException($"{key} is empty: configure at least one certificate ({key}:0:Path or " +
                $"{key}:0:Base64) when certificates come from configuration.");
        }

        return [.. sources.Select((source, index) => (Load(source, $"{key}:{index}"), $"{key}:{index}"))];
    }

    private static X509Certificate2 Load(IdentityCertificateOptions source, string key)
    {
        var hasPath = !string.IsNullOrWhiteSpace(source.Path);
        if (hasPath == !string.IsNullOrWhiteSpace(source.Base64))
        {
            throw new InvalidOperationException($"{key}: set exactly one of {key}:Path and {key}:Base64.");
        }

        try
        {
            return hasPath
                ? KeyFile.Load(source.Path!, source.Password)
                : X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(source.Base64!), source.Password,
                    X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or FormatException)
        {
            var what = hasPath ? $"{key}:Path ({source.Path})" : $"{key}:Base64";
            throw new InvalidOperationException($"{key}: cannot load the PFX from {what}: {e.Message}", e);
        }
    }

    private static List<(X509Certificate2 Certificate, string Source)> FromDirectory(
        string directory, KeyKind kind, string? password, DateTimeOffset now, ILogger logger)
    {
        if (KeyFile.Find(directory, kind).Count == 0 &&
            KeyFile.Create(directory, KeyFile.Prefix(kind) + ".pfx", kind, now.AddMinutes(-5), now + DefaultLifetime, password) is { } created)
        {
            logger.LogInformation("Generated the {Kind} key {Path}", KeyFile.Prefix(kind), created);
        }

        return [.. KeyFile.Find(directory, kind).Select(path => (LoadFile(path, password), path))];
    }

    private static X509Certificate2 LoadFile(string path, string? password)
    {
        try
        {
            return KeyFile.Load(path, password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot load the key file {path} (password from {Section}:Password): {e.Message}", e);
        }
    }

    private static IReadOnlyList<X509Certificate2> Usable(
        List<(X509Certificate2 Certificate, string Source)> loaded, KeyKind kind, string where, DateTimeOffset now, ILogger logger)
    {
        var usable = new List<X509Certificate2>();
        foreach (var (certificate, source) in loaded)
        {
            if (IsExpired(certificate, now))
            {
                logger.LogWarning("Skipping the expired {Kind} certificate {Thumbprint} from {Source} (expired {NotAfter:O})",
                    KeyFile.Prefix(kind), certificate.Thumbprint, source, certificate.NotAfter.ToUniversalTime());
                certificate.Dispose();
                continue;
            }

            using var rsa = certificate.GetRSAPublicKey();
            if (!certificate.HasPrivateKey || rsa is null)
            {
                throw new InvalidOperationException($"{source}: the {KeyFile.Prefix(kind)} certificate {certificate.Thumbprint} must be an RSA " +
                    "certificate with its private key (a PFX).");
            }

            usable.Add(certificate);
        }

        var ordered = Order(usable, now);
        if (ordered.Count == 0 || !IsValid(ordered[0], now))
        {
            throw new InvalidOperationException($"{where}: no {KeyFile.Prefix(kind)} certificate is valid now ({now:O}); " +
                $"{ordered.Count} not valid yet, {loaded.Count - ordered.Count} expired. Add one that is valid now.");
        }

        foreach (var certificate in ordered)
        {
            logger.LogInformation("Loaded the {Kind} certificate {Thumbprint}, valid {NotBefore:O} to {NotAfter:O}{InUse}", KeyFile.Prefix(kind),
                certificate.Thumbprint, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(),
                ReferenceEquals(certificate, ordered[0]) ? " (in use)" : "");
        }

        return ordered;
    }
}
