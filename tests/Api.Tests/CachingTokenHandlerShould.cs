using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TicketAspire.Api.Infrastructure.Security;

namespace TicketAspire.Api.Tests;

public sealed class CachingTokenHandlerShould : IDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private int _validations;

    public void Dispose() => _rsa.Dispose();

    private RsaSecurityKey Key => new(_rsa) { KeyId = "k1" };

    private TokenValidationParameters Parameters(SecurityKey? key = null) => new()
    {
        ValidAudience = "api",
        IssuerSigningKey = key ?? Key,
        ValidTypes = ["at+jwt"],
        // counts the validations that really ran (the issuer check runs once per full validation)
        IssuerValidator = (issuer, _, _) =>
        {
            Interlocked.Increment(ref _validations);
            return issuer;
        },
    };

    private string Token(TimeSpan lifetime, string subject = "client-1") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://identity.example/acme",
        Audience = "api",
        Subject = new ClaimsIdentity([new Claim("sub", subject)]),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow + lifetime,
        TokenType = "at+jwt",
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
    });

    [Fact]
    public async Task ValidateATokenOnceWithinItsTimeToLive()
    {
        var handler = new CachingTokenHandler(_time, Ttl, capacity: 100);
        var token = Token(TimeSpan.FromMinutes(10));
        for (var i = 0; i < 5; i++)
        {
            var result = await handler.ValidateTokenAsync(token, Parameters());
            Assert.True(result.IsValid);
            Assert.Equal("client-1", result.ClaimsIdentity.FindFirst("sub")?.Value);
        }

        Assert.Equal(1, _validations);
        _time.Advance(Ttl + TimeSpan.FromSeconds(1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(2, _validations);
    }

    [Fact]
    public async Task GiveEveryRequestItsOwnIdentity()
    {
        var handler = new CachingTokenHandler(_time, Ttl, capacity: 100);
        var token = Token(TimeSpan.FromMinutes(10));
        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        second.ClaimsIdentity.AddClaim(new Claim("added", "by one request"));
        var third = await handler.ValidateTokenAsync(token, Parameters());
        Assert.Null(third.ClaimsIdentity.FindFirst("added"));
    }

    [Fact]
    public async Task NeverBelieveATokenPastItsOwnExpiry()
    {
        var handler = new CachingTokenHandler(_time, Ttl, capacity: 100);
        var token = Token(TimeSpan.FromSeconds(20));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        _time.Advance(TimeSpan.FromSeconds(25));
        // the cached answer ended with the token's expiry: the token is validated again (and the real clock still
        // finds it valid, so the count shows the second full validation)
        await handler.ValidateTokenAsync(token, Parameters());
        Assert.Equal(2, _validations);
    }

    [Fact]
    public async Task NotRememberATokenThatFailed()
    {
        var handler = new CachingTokenHandler(_time, Ttl, capacity: 100);
        var token = Token(TimeSpan.FromMinutes(10));
        using var other = RSA.Create(2048);
        var wrongKey = new RsaSecurityKey(other) { KeyId = "k1" };
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await handler.ValidateTokenAsync(token, Parameters(wrongKey))).IsValid);
        }

        Assert.Equal(0, handler.Count);
        // a tampered copy is another string: it is validated in full and refused even after the original passed
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode("""{"sub":"someone-else","aud":"api","iss":"https://identity.example/acme","exp":9999999999}""")}.{parts[2]}";
        Assert.False((await handler.ValidateTokenAsync(tampered, Parameters())).IsValid);
    }

    [Fact]
    public async Task StayWithinItsCapacity()
    {
        var handler = new CachingTokenHandler(_time, Ttl, capacity: 10);
        for (var i = 0; i < 25; i++)
        {
            Assert.True((await handler.ValidateTokenAsync(Token(TimeSpan.FromMinutes(10), $"client-{i}"), Parameters())).IsValid);
            Assert.True(handler.Count <= 10, $"{handler.Count} tokens remembered");
        }
    }
}
