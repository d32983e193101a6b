using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// The cell's signing and encryption certificates, persisted as PFX files (mode 0600) so restarts reuse them: tokens
/// issued before a restart still validate. Development generates them on first start; production mounts them.
/// </summary>
public static class CellKeys
{
    /// <summary>Loads <c>&lt;directory&gt;/&lt;name&gt;.pfx</c>, creating a self-signed RSA certificate first if it is missing.</summary>
    public static X509Certificate2 LoadOrCreate(string directory, string name, X509KeyUsageFlags usage, string? password)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".pfx");
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest($"CN=TicketAspire {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2));
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temp, created.Export(X509ContentType.Pfx, password));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temp);   // another replica created it first: use theirs
            }
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
    }
}
