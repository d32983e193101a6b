using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Identity.Infrastructure;

namespace TicketAspire.Identity.Tests;

public sealed class CellKeyRingShould : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly TempDirectory _keys = new();

    public void Dispose() => _keys.Dispose();

    [Fact]
    public void GenerateOneKeyOfEachKindOnFirstStartAndReuseItAfterwards()
    {
        var first = Load();
        var second = Load();

        Assert.Equal(["encryption.pfx", "signing.pfx"], Directory.GetFiles(_keys.Path).Select(Path.GetFileName).Order());
        Assert.Equal(first.Signing.Single().Thumbprint, second.Signing.Single().Thumbprint);
        Assert.Equal(first.Encryption.Single().Thumbprint, second.Encryption.Single().Thumbprint);
        Assert.All(Directory.GetFiles(_keys.Path), file => Assert.True(IsOwnerOnly(file)));
    }

    [Fact]
    public async Task EndUpWithTheSameKeyWhenReplicasStartTogether()
    {
        var rings = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Load)));

        Assert.Single(rings.Select(ring => ring.Signing.Single().Thumbprint).Distinct());
        Assert.Single(rings.Select(ring => ring.Encryption.Single().Thumbprint).Distinct());
        Assert.Equal(2, Directory.GetFiles(_keys.Path).Length);
    }

    [Fact]
    public void LoadEveryKeyFileWithTheValidOneThatExpiresLastFirst()
    {
        var old = AddKey(KeyKind.Signing, Now - Year, 2 * Year);          // signing.pfx of an earlier start, still valid
        File.Move(old, _keys.File("signing.pfx"));
        var newer = AddKey(KeyKind.Signing, Now - TimeSpan.FromDays(1), 2 * Year);
        var shortLived = AddKey(KeyKind.Signing, Now - TimeSpan.FromDays(2), TimeSpan.FromDays(30));
        AddKey(KeyKind.Encryption, Now - Year, 2 * Year);

        var ring = Load();

        Assert.Equal([Thumbprint(newer), Thumbprint(_keys.File("signing.pfx")), Thumbprint(shortLived)],
            ring.Signing.Select(c => c.Thumbprint));
    }

    [Fact]
    public void SkipExpiredKeys()
    {
        var expired = AddKey(KeyKind.Signing, Now - 2 * Year, Year);
        var current = AddKey(KeyKind.Signing, Now - TimeSpan.FromDays(1), Year);
        AddKey(KeyKind.Encryption, Now - TimeSpan.FromDays(1), Year);

        var ring = Load();

        Assert.Equal([Thumbprint(current)], ring.Signing.Select(c => c.Thumbprint));
        Assert.True(File.Exists(expired));   // skipped, not deleted: removing a key is the operator's step
    }

    [Fact]
    public void PublishAKeyNotValidYetWithoutSigningWithItUntilItIsValid()
    {
        var current = AddKey(KeyKind.Signing, Now - TimeSpan.FromDays(30), Year);
        var next = AddKey(KeyKind.Signing, Now + TimeSpan.FromDays(1), 2 * Year);
        AddKey(KeyKind.Encryption, Now - TimeSpan.FromDays(30), Year);

        var before = Load();
        _time.Advance(TimeSpan.FromDays(2));
        var after = Load();

        Assert.Equal([Thumbprint(current), Thumbprint(next)], before.Signing.Select(c => c.Thumbprint));
        Assert.Equal([Thumbprint(next), Thumbprint(current)], after.Signing.Select(c => c.Thumbprint));
    }

    [Fact]
    public void NameAnAddedKeyByItsNotBeforeAndRefuseToOverwriteIt()
    {
        var notBefore = new DateTimeOffset(2026, 12, 1, 13, 0, 0, TimeSpan.FromHours(1));

        var path = CellKeyRing.AddKey(_keys.Path, KeyKind.Encryption, notBefore, TimeSpan.FromDays(90));
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null);

        Assert.Equal("encryption-20261201T120000Z.pfx", Path.GetFileName(path));
        Assert.Equal(notBefore.UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(notBefore.UtcDateTime.AddDays(90), certificate.NotAfter.ToUniversalTime());
        Assert.True(certificate.HasPrivateKey);
        Assert.True(IsOwnerOnly(path));
        Assert.Throws<IOException>(() => CellKeyRing.AddKey(_keys.Path, KeyKind.Encryption, notBefore, TimeSpan.FromDays(90)));
    }

    [Fact]
    public void FailNamingTheDirectoryWhenEveryKeyOfAKindHasExpired()
    {
        AddKey(KeyKind.Signing, Now - 2 * Year, Year);
        AddKey(KeyKind.Encryption, Now - TimeSpan.FromDays(1), Year);

        var error = Assert.Throws<InvalidOperationException>(Load);

        Assert.Contains($"IdentityKeyOptions:Directory ({_keys.Path}): no signing certificate is valid now", error.Message);
    }

    [Fact]
    public void FailWhenNeitherADirectoryNorCertificatesAreConfigured()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LoadFrom(new Dictionary<string, string?>()));

        Assert.Contains("IdentityKeyOptions:Directory", error.Message);
        Assert.Contains("IdentityKeyOptions:SigningCertificates", error.Message);
    }

    private CellKeySet Load() => CellKeyRing.Load(new IdentityKeyOptions { Directory = _keys.Path }, _time, NullLogger.Instance);

    private CellKeySet LoadFrom(Dictionary<string, string?> settings) => CellKeyRing.Load(Bind(settings), _time, NullLogger.Instance);

    internal static IdentityKeyOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new IdentityKeyOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(IdentityKeyOptions.Section).Bind(options);
        return options;
    }

    private string AddKey(KeyKind kind, DateTimeOffset notBefore, TimeSpan lifetime) =>
        CellKeyRing.AddKey(_keys.Path, kind, notBefore, lifetime);

    private static bool IsOwnerOnly(string path) =>
        OperatingSystem.IsWindows() || File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite);

    private static string Thumbprint(string path)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        return certificate.Thumbprint;
    }
}
