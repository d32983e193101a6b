using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TicketAspire.AppHost.Tests;

/// <summary>Getting tokens from the cell's real identity service the way integrators and storefronts do.</summary>
internal static class Tokens
{
    public const string AllIntegratorScopes = "inventory:read inventory:write orders:read orders:write audit:read webhooks:manage";

    public static async Task<string> ClientCredentialsAsync(PlatformFixture platform, string cell, string issuer, string clientId, string secret, string scope)
    {
        using var http = platform.IdentityClient(cell);
        return await ClientCredentialsAsync(http, issuer, clientId, secret, scope);
    }

    public static async Task<string> ClientCredentialsAsync(HttpClient http, string issuer, string clientId, string secret, string scope)
    {
        using var response = await RequestAsync(http, issuer, new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token for {clientId}: {(int)response.StatusCode} {body}");
        return (string)JsonNode.Parse(body)!["access_token"]!;
    }

    public static Task<HttpResponseMessage> RequestAsync(HttpClient identity, string issuer, Dictionary<string, string> form) =>
        identity.PostAsync($"/{issuer}/connect/token", new FormUrlEncodedContent(form));

    /// <summary>The public JWKS of <paramref name="key"/> (what a reseller registers for <c>private_key_jwt</c>).</summary>
    public static string PublicJwks(RSA key, string kid)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = kid,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            }),
        }.ToJsonString();
    }

    /// <summary>An RFC 7523 client assertion signed with <paramref name="key"/>.</summary>
    public static string ClientAssertion(RSA key, string kid, string clientId, string audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            Expires = DateTime.UtcNow.AddMinutes(2),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
            TokenType = "client-authentication+jwt",
        });

    /// <summary>The payload of a JWT, decoded (no validation).</summary>
    public static JsonWebToken Read(string jwt) => new(jwt);

    /// <summary>A PKCE verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}
