using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The API refuses every token that is not a valid access token of this cell for this reseller, with 401 problem
/// details, never 500. Tokens are crafted with the cell's own signing key (read from the run's data directory), so each
/// case differs from an accepted token in exactly one respect; the control case shows the crafted token is otherwise good.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class TokenValidationTests(PlatformFixture platform)
{
    private const string Protected = "/v1/orders?customer_ref=tv-customer";

    [Fact]
    public async Task A_crafted_token_with_every_claim_right_is_accepted()
    {
        using var http = platform.ResellerClient("eu", "acme.eu.localhost", Craft());
        await http.GetJsonAsync(Protected);
    }

    public static TheoryData<string> Cases() =>
    [
        "expired", "not-yet-valid", "wrong-audience", "foreign-origin", "unknown-reseller-issuer", "reseller-claim-differs",
        "platform-issuer-with-reseller", "integrator-kind-on-platform", "no-subject", "alg-none", "tampered", "other-cells-key",
        "id-token-type", "garbage", "hs256-with-public-key",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_token_is_401_invalid_token_problem_details(string @case)
    {
        var token = @case switch
        {
            "expired" => Craft(expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-20)),
            "not-yet-valid" => Craft(notBefore: DateTime.UtcNow.AddMinutes(10), expires: DateTime.UtcNow.AddMinutes(30)),
            "wrong-audience" => Craft(audience: "some-other-api"),
            "foreign-origin" => Craft(issuer: "http://evil.example/acme"),
            "unknown-reseller-issuer" => Craft(issuer: $"{Origin}/nobody", reseller: "nobody"),
            "reseller-claim-differs" => Craft(reseller: "globex"),
            "platform-issuer-with-reseller" => Craft(issuer: $"{Origin}/platform"),
            "integrator-kind-on-platform" => Craft(issuer: $"{Origin}/platform", reseller: null),
            "no-subject" => Craft(subject: null),
            "alg-none" => Unsigned(),
            "tampered" => Tamper(Craft(scope: "orders:read")),
            "other-cells-key" => Craft(key: SigningCertificate("us")),
            "id-token-type" => Craft(type: "JWT"),
            "garbage" => "not.a.token",
            "hs256-with-public-key" => Hs256WithPublicKey(),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        using var http = platform.ResellerClient("eu", "acme.eu.localhost", token);
        using var response = await http.GetAsync(Protected);
        await AssertInvalidTokenAsync(response);
    }

    [Fact]
    public async Task A_bad_token_is_refused_on_public_browsing_too()
    {
        using var http = platform.ResellerClient("eu", "acme.eu.localhost", Craft(expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-20)));
        using var response = await http.GetAsync("/v1/events");
        var problem = await AssertInvalidTokenAsync(response);
        Assert.Contains("expired", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_token_of_another_cell_is_refused()
    {
        var us = await Tokens.ClientCredentialsAsync(platform, "us", "initech", "initech-backend", PlatformFixture.ClientSecret("initech"), Tokens.AllIntegratorScopes);
        using var http = platform.ResellerClient("eu", "acme.eu.localhost", us);
        await AssertInvalidTokenAsync(await http.GetAsync(Protected));
    }

    private string Origin => platform.App.GetEndpoint("eu-identity", "http").GetLeftPart(UriPartial.Authority);

    private string Craft(
        string? issuer = null, string? audience = "ticketaspire-api", string? subject = "acme-backend", string? reseller = "acme",
        string kind = "integrator", string scope = "orders:read orders:write", DateTime? notBefore = null, DateTime? expires = null,
        X509Certificate2? key = null, string type = "at+jwt")
    {
        var claims = new Dictionary<string, object> { ["kind"] = kind, ["scope"] = scope, ["client_id"] = "acme-backend", ["jti"] = Guid.NewGuid().ToString("N") };
        if (subject is not null) { claims["sub"] = subject; }
        if (reseller is not null) { claims["reseller"] = reseller; }
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? $"{Origin}/acme",
            Audience = audience,
            Claims = claims,
            IssuedAt = notBefore ?? now.AddMinutes(-1),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            TokenType = type,
            SigningCredentials = new SigningCredentials(new X509SecurityKey(key ?? SigningCertificate("eu")), SecurityAlgorithms.RsaSha256),
        });
    }

    private string Unsigned()
    {
        var signed = Craft();
        var parts = signed.Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""");
        return $"{header}.{parts[1]}.";
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["scope"] = "orders:read orders:write inventory:write audit:read";
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    /// <summary>The classic confusion attack: HMAC-signed with the public key as the secret.</summary>
    private string Hs256WithPublicKey()
    {
        var publicKey = SigningCertificate("eu").GetRSAPublicKey()!.ExportSubjectPublicKeyInfo();
        var unsigned = Craft().Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"HS256","typ":"at+jwt"}""");
        using var hmac = new System.Security.Cryptography.HMACSHA256(publicKey);
        var signature = Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes($"{header}.{unsigned[1]}")));
        return $"{header}.{unsigned[1]}.{signature}";
    }

    private X509Certificate2 SigningCertificate(string cell)
    {
        var directory = Path.Combine(platform.DataDir, $"{cell}-identity-keys");
        return Directory.GetFiles(directory, "signing*.pfx")
            .Select(path => X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet))
            .OrderByDescending(c => c.NotAfter)
            .First();
    }

    private static async Task<JsonNode> AssertInvalidTokenAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal("invalid_token", (string)problem["code"]!);
        return problem;
    }
}
