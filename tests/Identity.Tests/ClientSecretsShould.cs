using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Tests.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Tests;

/// <summary>
/// An integrator's secret against a real Postgres and a real OpenIddict token endpoint over the reseller's database: a
/// rotation replaces the secret (the old one is refused at once, the new one gets a token), and provisioning again (what
/// the cell migrator and the provisioner do at every start) keeps a rotated secret while the parameter is unchanged and
/// resets it when the parameter changed. Public clients have no secret to rotate.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClientSecretsShould(PostgresServer postgres)
{
    private const string ClientId = "acme-backend";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task KeepARotatedSecretAcrossProvisioningUntilTheParameterChanges()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(KeepARotatedSecretAcrossProvisioningUntilTheParameterChanges));
        await using var provisioner = new ClientProvisioner(_time);
        Assert.Equal(ClientProvisioning.Created, await Provision(provisioner, db.ConnectionString, "parameter-secret-1"));
        await using var issuer = await TokenEndpoint.StartAsync(db.ConnectionString, _time);
        Assert.Equal(HttpStatusCode.OK, await issuer.ClientCredentialsAsync(ClientId, "parameter-secret-1"));
        var first = await issuer.StateAsync(ClientId);
        Assert.Equal((ClientSecrets.ByProvisioning, _time.GetUtcNow()), (first!.SecretSetBy, first.SecretSetAt));

        // the administrator rotates: the old secret stops at once, the new one (32 random bytes, base64url) works
        _time.Advance(TimeSpan.FromHours(1));
        var (state, rotated) = (await issuer.RotateAsync(ClientId, "admin@acme.example"))!.Value;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", rotated);
        Assert.Equal(("admin@acme.example", _time.GetUtcNow()), (state.SecretSetBy, state.SecretSetAt));
        Assert.Equal(HttpStatusCode.Unauthorized, await issuer.ClientCredentialsAsync(ClientId, "parameter-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await issuer.ClientCredentialsAsync(ClientId, rotated));

        // a restart with the parameter unchanged keeps the rotated secret and who set it
        Assert.Equal(ClientProvisioning.Updated, await Provision(provisioner, db.ConnectionString, "parameter-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await issuer.ClientCredentialsAsync(ClientId, rotated));
        Assert.Equal(HttpStatusCode.Unauthorized, await issuer.ClientCredentialsAsync(ClientId, "parameter-secret-1"));
        Assert.Equal("admin@acme.example", (await issuer.StateAsync(ClientId))!.SecretSetBy);

        // the operators' break-glass: a changed parameter resets the secret to its value
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ClientProvisioning.SecretChanged, await Provision(provisioner, db.ConnectionString, "parameter-secret-2"));
        Assert.Equal(HttpStatusCode.Unauthorized, await issuer.ClientCredentialsAsync(ClientId, rotated));
        Assert.Equal(HttpStatusCode.OK, await issuer.ClientCredentialsAsync(ClientId, "parameter-secret-2"));
        var reset = await issuer.StateAsync(ClientId);
        Assert.Equal((ClientSecrets.ByProvisioning, _time.GetUtcNow()), (reset!.SecretSetBy, reset.SecretSetAt));
        Assert.Equal(ClientProvisioning.Updated, await Provision(provisioner, db.ConnectionString, "parameter-secret-2"));
    }

    [Fact]
    public async Task TakeTheParameterOnceForAClientProvisionedBeforeItsValueWasRecorded()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(TakeTheParameterOnceForAClientProvisionedBeforeItsValueWasRecorded));
        await using var provisioner = new ClientProvisioner(_time);
        Assert.Equal(ClientProvisioning.Created, await Provision(provisioner, db.ConnectionString, "old-secret"));
        // a client of an earlier version: no hash of the parameter applied
        await using (var cmd = db.CreateCommand("""UPDATE "OpenIddictApplications" SET "Properties" = NULL WHERE "ClientId" = $1"""))
        {
            cmd.Parameters.Add(new() { Value = ClientId });
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        Assert.Equal(ClientProvisioning.SecretChanged, await Provision(provisioner, db.ConnectionString, "new-secret"));
        await using var issuer = await TokenEndpoint.StartAsync(db.ConnectionString, _time);
        Assert.Equal(HttpStatusCode.OK, await issuer.ClientCredentialsAsync(ClientId, "new-secret"));
        Assert.Equal(ClientProvisioning.Updated, await Provision(provisioner, db.ConnectionString, "new-secret"));
    }

    [Fact]
    public async Task RefuseToRotateAPublicClientAndFindNoUnknownOne()
    {
        await using var db = await postgres.CreateResellerDatabaseAsync(nameof(RefuseToRotateAPublicClientAndFindNoUnknownOne));
        await using var provisioner = new ClientProvisioner(_time);
        await provisioner.EnsureStorefrontAsync(db.ConnectionString, "acme-storefront", "Acme storefront",
            [new Uri("http://acme.eu.localhost/signin-oidc")], [new Uri("http://acme.eu.localhost/")], default);
        await using var issuer = await TokenEndpoint.StartAsync(db.ConnectionString, _time);

        Assert.False((await issuer.StateAsync("acme-storefront"))!.Confidential);
        await Assert.ThrowsAsync<InvalidOperationException>(() => issuer.RotateAsync("acme-storefront", "admin@acme.example"));
        Assert.Null(await issuer.RotateAsync("nobody-backend", "admin@acme.example"));
        Assert.Null(await issuer.StateAsync("nobody-backend"));
    }

    private static Task<ClientProvisioning> Provision(ClientProvisioner provisioner, string connectionString, string secret) =>
        provisioner.EnsureIntegratorAsync(connectionString, ClientId, "Acme back end", secret, null, CancellationToken.None);

    /// <summary>
    /// OpenIddict's own token endpoint (client credentials) over the reseller's database on Kestrel: clients are
    /// authenticated by OpenIddict against their stored secret hashes, as at the identity service.
    /// </summary>
    private sealed class TokenEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _http;

        private TokenEndpoint(WebApplication app)
        {
            _app = app;
            _http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        }

        public static async Task<TokenEndpoint> StartAsync(string connectionString, TimeProvider time)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(time);
            builder.Services.AddDbContext<IdentityDbContext>(o => o.UseNpgsql(connectionString).UseOpenIddict());
            builder.Services.AddScoped<ClientSecrets>();
            builder.Services.AddOpenIddict()
                .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
                .AddServer(o =>
                {
                    o.SetTokenEndpointUris("connect/token").AllowClientCredentialsFlow();
                    o.RegisterScopes(IdentityScopes.Integrator);
                    o.AddEphemeralSigningKey().AddEphemeralEncryptionKey().DisableAccessTokenEncryption();
                    o.UseAspNetCore().DisableTransportSecurityRequirement();
                    o.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(h => h.UseInlineHandler(context =>
                    {
                        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType);
                        identity.SetClaim(Claims.Subject, context.Request.ClientId);
                        identity.SetDestinations(static _ => [Destinations.AccessToken]);
                        context.SignIn(new ClaimsPrincipal(identity));
                        return default;
                    }));
                });
            var app = builder.Build();
            await app.StartAsync();
            return new TokenEndpoint(app);
        }

        /// <summary>The token endpoint's status for a client credentials request.</summary>
        public async Task<HttpStatusCode> ClientCredentialsAsync(string clientId, string secret)
        {
            using var response = await _http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = GrantTypes.ClientCredentials,
                ["client_id"] = clientId,
                ["client_secret"] = secret,
                ["scope"] = "inventory:read",
            }));
            return response.StatusCode;
        }

        public async Task<ClientSecretState?> StateAsync(string clientId)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ClientSecrets>().FindAsync(clientId, default);
        }

        public async Task<(ClientSecretState State, string Secret)?> RotateAsync(string clientId, string by)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ClientSecrets>().RotateAsync(clientId, by, default);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
