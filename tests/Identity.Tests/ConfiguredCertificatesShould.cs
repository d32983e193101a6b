using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Identity.Infrastructure;

namespace TicketAspire.Identity.Tests;

/// <summary>Production: certificates from configuration (a secret store), by path or as base64.</summary>
public sealed class ConfiguredCertificatesShould : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly TempDirectory _secrets = new();
    private readonly TempDirectory _keyDirectory = new();

    public void Dispose()
    {
        _secrets.Dispose();
        _keyDirectory.Dispose();
    }

    [Fact]
    public void LoadCertificatesByPathAndAsBase64WithoutTouchingTheDirectory()
    {
        var signing = CellKeyRing.AddKey(_secrets.Path, KeyKind.Signing, Now - TimeSpan.FromDays(1), Year, "s3cret");
        var next = CellKeyRing.AddKey(_secrets.Path, KeyKind.Signing, Now + TimeSpan.FromDays(1), Year);
        var encryption = CellKeyRing.AddKey(_secrets.Path, KeyKind.Encryption, Now - TimeSpan.FromDays(1), Year);

        var ring = Load(new()
        {
            ["IdentityKeyOptions:Directory"] = _keyDirectory.Path,
            ["IdentityKeyOptions:SigningCertificates:0:Path"] = signing,
            ["IdentityKeyOptions:SigningCertificates:0:Password"] = "s3cret",
            ["IdentityKeyOptions:SigningCertificates:1:Base64"] = Base64(next),
            ["IdentityKeyOptions:EncryptionCertificates:0:Base64"] = Base64(encryption),
        });

        Assert.Equal([Thumbprint(signing, "s3cret"), Thumbprint(next)], ring.Signing.Select(c => c.Thumbprint));
        Assert.Equal([Thumbprint(encryption)], ring.Encryption.Select(c => c.Thumbprint));
        Assert.Empty(Directory.GetFiles(_keyDirectory.Path));   // nothing generated when certificates are configured
    }

    [Fact]
    public void FailNamingTheSettingWhenNoEncryptionCertificateIsConfigured()
    {
        var signing = CellKeyRing.AddKey(_secrets.Path, KeyKind.Signing, Now - TimeSpan.FromDays(1), Year);

        var error = Assert.Throws<InvalidOperationException>(() => Load(new()
        {
            ["IdentityKeyOptions:SigningCertificates:0:Path"] = signing,
        }));

        Assert.StartsWith("IdentityKeyOptions:EncryptionCertificates is empty", error.Message);
    }

    [Fact]
    public void FailNamingTheSettingWhenNoSigningCertificateIsValidNow()
    {
        var expired = CellKeyRing.AddKey(_secrets.Path, KeyKind.Signing, Now - 2 * Year, Year);
        var notYet = CellKeyRing.AddKey(_secrets.Path, KeyKind.Signing, Now + TimeSpan.FromDays(1), Year);
        var encryption = CellKeyRing.AddKey(_secrets.Path, KeyKind.Encryption, Now - TimeSpan.FromDays(1), Year);

        var error = Assert.Throws<InvalidOperationException>(() => Load(new()
        {
            ["IdentityKeyOptions:SigningCertificates:0:Path"] = expired,
            ["IdentityKeyOptions:SigningCertificates:1:Path"] = notYet,
            ["IdentityKeyOptions:EncryptionCertificates:0:Path"] = encryption,
        }));

        Assert.StartsWith("IdentityKeyOptions:SigningCertificates: no signing certificate is valid now", error.Message);
        Assert.Contains("1 not valid yet, 1 expired", error.Message);
    }

    [Fact]
    public void FailNamingTheSettingWhenACertificateHasNoPrivateKey()
    {
        var signing = CellKeyRing.AddKey(_secrets.Path, KeyKind.Signing, Now - TimeSpan.FromDays(1), Year);
        var encryption = CellKeyRing.AddKey(_secrets.Path, KeyKind.Encryption, Now - TimeSpan.FromDays(1), Year);
        using var withKey = X509CertificateLoader.LoadPkcs12FromFile(encryption, null);
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);

        var error = Assert.Throws<InvalidOperationException>(() => Load(new()
        {
            ["IdentityKeyOptions:SigningCertificates:0:Path"] = signing,
            ["IdentityKeyOptions:EncryptionCertificates:0:Base64"] = Convert.ToBase64String(publicOnly.Export(X509ContentType.Pfx)),
        }));

        Assert.StartsWith("IdentityKeyOptions:EncryptionCertificates:0: the encryption certificate", error.Message);
        Assert.Contains("private key", error.Message);
    }

    [Theory]
    [InlineData("Path", "/nonexistent/signing.pfx", null, "IdentityKeyOptions:SigningCertificates:0: cannot load the PFX")]
    [InlineData("Base64", "not base64!", null, "IdentityKeyOptions:SigningCertificates:0: cannot load the PFX")]
    [InlineData("Path", "{signing}", "wrong password", "IdentityKeyOptions:SigningCertificates:0: cannot load the PFX")]
    [InlineData("Both", "{signing}", null, "IdentityKeyOptions:SigningCertificates:0: set exactly one of")]
    public void FailNamingTheSettingWhenACertificateCannotBeRead(string field, string value, string? password, string expected)
    {
        var signing = CellKeyRing.AddKey(_secrets.Path, KeyKind.Signing, Now - TimeSpan.FromDays(1), Year);
        var encryption = CellKeyRing.AddKey(_secrets.Path, KeyKind.Encryption, Now - TimeSpan.FromDays(1), Year);
        value = value.Replace("{signing}", signing, StringComparison.Ordinal);
        var settings = new Dictionary<string, string?>
        {
            ["IdentityKeyOptions:SigningCertificates:0:Password"] = password,
            ["IdentityKeyOptions:EncryptionCertificates:0:Path"] = encryption,
        };
        if (field == "Both")
        {
            settings["IdentityKeyOptions:SigningCertificates:0:Path"] = value;
            settings["IdentityKeyOptions:SigningCertificates:0:Base64"] = Base64(value);
        }
        else
        {
            settings[$"IdentityKeyOptions:SigningCertificates:0:{field}"] = value;
        }

        var error = Assert.Throws<InvalidOperationException>(() => Load(settings));

        Assert.StartsWith(expected, error.Message);
    }

    private CellKeySet Load(Dictionary<string, string?> settings) =>
        CellKeyRing.Load(CellKeyRingShould.Bind(settings), _time, NullLogger.Instance);

    private static string Base64(string path) => Convert.ToBase64String(File.ReadAllBytes(path));

    private static string Thumbprint(string path, string? password = null)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        return certificate.Thumbprint;
    }
}
