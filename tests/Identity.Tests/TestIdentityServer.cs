using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using TicketAspire.Identity.Extensions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Tests;

/// <summary>
/// A real OpenIddict server on Kestrel (<c>127.0.0.1:0</c>) with the cell's key ring (<see cref="CellKeyRingExtensions"/>)
/// over the given settings: client credentials for one test client, degraded mode (no database), signed access tokens.
/// A fixed issuer, so a restarted instance on another port is the same issuer.
/// </summary>
internal sealed class TestIdentityServer : IAsyncDisposable
{
    public const string Issuer = "http://identity.test/";
    private const string ClientId = "test-client";
    private const string ClientSecret = "test-secret";

    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private TestIdentityServer(WebApplication app, Uri address)
    {
        _app = app;
        _http = new HttpClient { BaseAddress = address };
    }

    public static async Task<TestIdentityServer> StartAsync(Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(time ?? TimeProvider.System);   // the ring's clock and OpenIddict's
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddCellKeyRing();
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(new Uri(Issuer));
            options.SetTokenEndpointUris("connect/token");
            options.AllowClientCredentialsFlow();
            options.EnableDegradedMode();
            options.DisableTokenStorage();
            options.DisableAccessTokenEncryption();
            options.UseAspNetCore().DisableTransportSecurityRequirement();
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.Request.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType);
                identity.SetClaim(Claims.Subject, ClientId);
                identity.SetDestinations(static _ => [Destinations.AccessToken]);
                context.SignIn(new ClaimsPrincipal(identity));
                return default;
            }));
        });

        var app = builder.Build();
        await app.StartAsync();
        return new TestIdentityServer(app, new Uri(app.Urls.Single()));
    }

    /// <summary>A client credentials access token.</summary>
    public async Task<string> GetTokenAsync()
    {
        using var response = await _http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
        }));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>The published keys (<c>/.well-known/jwks</c>).</summary>
    public async Task<JsonWebKeySet> GetJwksAsync() => new(await _http.GetStringAsync(".well-known/jwks"));

    /// <summary>Validates a token as an API does: signature against the published keys, issuer, type and lifetime.</summary>
    public static async Task<bool> ValidatesAsync(string token, JsonWebKeySet jwks)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            ValidTypes = ["at+jwt"],
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        return result.IsValid;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
