using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using TicketAspire.Identity.Infrastructure;

namespace TicketAspire.Identity.Tests;

/// <summary>
/// The rollover of docs/key-rollover.md against a real OpenIddict server: the key ring in a directory, a new server
/// instance per restart, tokens validated against the published JWKS as an API validates them.
/// </summary>
public sealed class KeyRolloverShould : IDisposable
{
    private readonly TempDirectory _keys = new();

    public void Dispose() => _keys.Dispose();

    [Fact]
    public async Task KeepOldTokensValidUntilTheOldKeyIsRemoved()
    {
        // key A: generated on first start
        string t1, a;
        await using (var server = await StartAsync())
        {
            t1 = await server.GetTokenAsync();
            a = Kid(t1);
            Assert.Equal([a], (await server.GetJwksAsync()).Keys.Select(k => k.Kid));
        }

        // key B added (valid now, expires after A); restart: both published, B signs, T1 still validates
        var b = Thumbprint(CellKeyRing.AddKey(_keys.Path, KeyKind.Signing, DateTimeOffset.UtcNow.AddMinutes(-1),
            CellKeyRing.DefaultLifetime + TimeSpan.FromDays(1)));
        string t2;
        await using (var server = await StartAsync())
        {
            var jwks = await server.GetJwksAsync();
            t2 = await server.GetTokenAsync();

            Assert.Equal(new[] { a, b }.Order(), jwks.Keys.Select(k => k.Kid).Order());
            Assert.Equal(b, Kid(t2));
            Assert.True(await TestIdentityServer.ValidatesAsync(t1, jwks));
            Assert.True(await TestIdentityServer.ValidatesAsync(t2, jwks));
        }

        // A removed after the overlap; restart: only B published, T1 no longer validates, T2 does
        File.Delete(_keys.File("signing.pfx"));
        await using (var server = await StartAsync())
        {
            var jwks = await server.GetJwksAsync();

            Assert.Equal([b], jwks.Keys.Select(k => k.Kid));
            Assert.False(await TestIdentityServer.ValidatesAsync(t1, jwks));
            Assert.True(await TestIdentityServer.ValidatesAsync(t2, jwks));
        }
    }

    [Fact]
    public async Task PublishAKeyNotValidYetButKeepSigningWithTheCurrentOne()
    {
        var current = Thumbprint(CellKeyRing.AddKey(_keys.Path, KeyKind.Signing, DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromDays(30)));
        var next = Thumbprint(CellKeyRing.AddKey(_keys.Path, KeyKind.Signing, DateTimeOffset.UtcNow.AddDays(1), TimeSpan.FromDays(365)));

        await using var server = await StartAsync();
        var token = await server.GetTokenAsync();

        Assert.Equal(new[] { current, next }.Order(), (await server.GetJwksAsync()).Keys.Select(k => k.Kid).Order());
        Assert.Equal(current, Kid(token));
    }

    [Fact]
    public async Task KeepTheSigningKeyChosenAtStartUntilRestarted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var current = Thumbprint(CellKeyRing.AddKey(_keys.Path, KeyKind.Signing, time.GetUtcNow().AddDays(-1), TimeSpan.FromDays(30)));
        var next = Thumbprint(CellKeyRing.AddKey(_keys.Path, KeyKind.Signing, time.GetUtcNow().AddDays(1), TimeSpan.FromDays(365)));

        await using (var running = await StartAsync(time))
        {
            time.Advance(TimeSpan.FromDays(2));   // the new key's not-before passes while the replica runs

            Assert.Equal(current, Kid(await running.GetTokenAsync()));
        }

        await using var restarted = await StartAsync(time);

        Assert.Equal(next, Kid(await restarted.GetTokenAsync()));
    }

    [Fact]
    public async Task SignWithTheValidKeyThatExpiresLastAsTheRingOrdersThem()
    {
        var now = DateTimeOffset.UtcNow;
        var older = Thumbprint(CellKeyRing.AddKey(_keys.Path, KeyKind.Signing, now.AddDays(-10), TimeSpan.FromDays(400)));
        CellKeyRing.AddKey(_keys.Path, KeyKind.Signing, now.AddDays(-1), TimeSpan.FromDays(30));   // newer, expires sooner
        var ring = CellKeyRing.Load(new IdentityKeyOptions { Directory = _keys.Path }, TimeProvider.System,
            NullLogger.Instance);

        await using var server = await StartAsync();

        Assert.Equal(older, ring.Signing[0].Thumbprint);
        Assert.Equal(older, Kid(await server.GetTokenAsync()));
    }

    [Fact]
    public async Task RefuseToStartNamingTheSettingWhenTheKeysAreMissing()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestIdentityServer.StartAsync(new()
        {
            ["IdentityKeyOptions:SigningCertificates:0:Path"] = _keys.File("missing.pfx"),
        }));

        Assert.StartsWith("IdentityKeyOptions:SigningCertificates:0: cannot load the PFX", error.Message);
    }

    private Task<TestIdentityServer> StartAsync(TimeProvider? time = null) =>
        TestIdentityServer.StartAsync(new() { ["IdentityKeyOptions:Directory"] = _keys.Path }, time);

    private static string Kid(string token) => new JsonWebToken(token).Kid;

    private static string Thumbprint(string path)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        return certificate.Thumbprint;
    }
}
