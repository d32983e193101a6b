using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>Creates and reads the PFX files of a key directory.</summary>
internal static class KeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>File name prefix of a kind: <c>signing</c> or <c>encryption</c>.</summary>
    public static string Prefix(KeyKind kind) => kind == KeyKind.Signing ? "signing" : "encryption";

    /// <summary>Every <c>signing*.pfx</c> (or <c>encryption*.pfx</c>) file of the directory, by name.</summary>
    public static IReadOnlyList<string> Find(string directory, KeyKind kind) => Directory.Exists(directory)
        ? [.. Directory.GetFiles(directory, Prefix(kind) + "*.pfx").Order(StringComparer.Ordinal)]
        : [];

    /// <summary>Loads a PFX file with its private key.</summary>
    public static X509Certificate2 Load(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>
    /// Writes a new self-signed RSA certificate to <c>directory/name</c> (mode 0600) atomically: the file appears complete
    /// or not at all, and never replaces an existing one. Returns the path, or null when the file already existed (another
    /// replica created it first).
    /// </summary>
    public static string? Create(string directory, string name, KeyKind kind, DateTimeOffset notBefore, DateTimeOffset notAfter,
        string? password)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=TicketAspire {Prefix(kind)}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var usage = kind == KeyKind.Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);

        var path = Path.Combine(directory, name);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(certificate.Export(X509ContentType.Pfx, password));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: false);
            return path;
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
