using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// Creates or brings up to date the clients the cell migrator provisions in an issuer's database: each reseller's first
/// integrator client (client credentials with a secret and/or <c>private_key_jwt</c>), its storefront (a public client on
/// the authorization code flow with PKCE), and the platform issuer's staff clients. Secrets come from Aspire parameters,
/// applied when a client is created and again only when the parameter's value changed, so a secret rotated at run time
/// (<see cref="ClientSecrets"/>) stays; OpenIddict stores only a hash of them.
/// </summary>
public sealed class ClientProvisioner : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TimeProvider _time;

    /// <summary>Builds OpenIddict's core services over a database chosen per call.</summary>
    /// <param name="time">When secrets are recorded as set; the system clock by default.</param>
    public ClientProvisioner(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScoped<Target>();
        services.AddDbContext<IdentityDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<Target>().ConnectionString).UseOpenIddict());
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>());
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>A reseller's back end: confidential, client credentials, the integrator scopes.</summary>
    /// <param name="connectionString">The reseller's database.</param>
    /// <param name="clientId">Client id.</param>
    /// <param name="displayName">Shown to operators.</param>
    /// <param name="secret">Client secret (hashed by OpenIddict), or null for key-only clients.</param>
    /// <param name="jwks">Public keys (a JWKS document) for <c>private_key_jwt</c> client assertions, or null.</param>
    /// <param name="ct">Cancellation.</param>
    public Task<ClientProvisioning> EnsureIntegratorAsync(
        string connectionString, string clientId, string displayName, string? secret, string? jwks, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secret) && string.IsNullOrEmpty(jwks))
        {
            throw new ArgumentException($"Client '{clientId}' needs a secret or a JWKS.", nameof(secret));
        }

        var descriptor = Confidential(clientId, displayName, secret, IdentityScopes.Integrator);
        descriptor.JsonWebKeySet = string.IsNullOrEmpty(jwks) ? null : new JsonWebKeySet(jwks);
        return EnsureAsync(connectionString, descriptor, secret, ct);
    }

    /// <summary>A platform staff client of the cell (support or operator console): confidential, client credentials.</summary>
    public Task<ClientProvisioning> EnsureStaffAsync(
        string connectionString, string clientId, string displayName, string secret, IEnumerable<string> scopes, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return EnsureAsync(connectionString, Confidential(clientId, displayName, secret, scopes), secret, ct);
    }

    /// <summary>
    /// A console (a reseller's at its issuer, the cell's staff console at the platform issuer): public client, authorization
    /// code with PKCE, no refresh tokens (a console's session ends with its access token), the console's API scopes.
    /// </summary>
    public Task<ClientProvisioning> EnsureConsoleAsync(
        string connectionString, string clientId, string displayName, IEnumerable<string> apiScopes, IEnumerable<Uri> redirectUris,
        IEnumerable<Uri> postLogoutRedirectUris, CancellationToken ct)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,   // the platform's own console: no consent page
            DisplayName = displayName,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var scope in apiScopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        descriptor.RedirectUris.UnionWith(redirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(postLogoutRedirectUris);
        return EnsureAsync(connectionString, descriptor, secret: null, ct);
    }

    /// <summary>
    /// A reseller's storefront: public client, authorization code with PKCE, refresh tokens, end-user scopes; and the guest
    /// grant (<see cref="GuestGrant"/>) of a buyer without an account.
    /// </summary>
    public Task<ClientProvisioning> EnsureStorefrontAsync(
        string connectionString, string clientId, string displayName, IEnumerable<Uri> redirectUris, IEnumerable<Uri> postLogoutRedirectUris,
        CancellationToken ct)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,   // the reseller's own storefront: no consent page
            DisplayName = displayName,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email,
                Permissions.Scopes.Profile,
                Permissions.Prefixes.Scope + ApiScopes.Customer,
                Permissions.Prefixes.GrantType + GuestGrant.Type,
                Permissions.Prefixes.Scope + ApiScopes.Guest,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        descriptor.RedirectUris.UnionWith(redirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(postLogoutRedirectUris);
        return EnsureAsync(connectionString, descriptor, secret: null, ct);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static OpenIddictApplicationDescriptor Confidential(string clientId, string displayName, string? secret, IEnumerable<string> scopes)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = string.IsNullOrEmpty(secret) ? null : secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Introspection,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.ClientCredentials,
            },
        };
        foreach (var name in scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + name);
        }

        return descriptor;
    }

    /// <summary>
    /// Creates the client, or brings its settings up to date. A confidential client's secret is set from
    /// <paramref name="secret"/> when the client is created, and afterwards only when the parameter's value differs from
    /// the one last applied (an Argon2id hash of it is kept in the client's properties): a secret rotated at run time
    /// (<see cref="ClientSecrets.RotateAsync"/>) stays in force across restarts, and changing the parameter on purpose
    /// resets it. Without a secret (a key-only client) none is kept.
    /// </summary>
    private async Task<ClientProvisioning> EnsureAsync(string connectionString, OpenIddictApplicationDescriptor descriptor, string? secret, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Target>().ConnectionString = connectionString;
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, ct);
        if (existing is null)
        {
            if (secret is not null)
            {
                Applied(descriptor, secret);
            }

            await applications.CreateAsync(descriptor, ct);
            return ClientProvisioning.Created;
        }

        // what the client holds now: its secret's hash and its properties (when and by whom the secret was set) carry over
        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, ct);
        foreach (var (name, value) in current.Properties)
        {
            descriptor.Properties.TryAdd(name, value);
        }

        var outcome = ClientProvisioning.Updated;
        if (secret is null)
        {
            descriptor.Properties.Remove(ClientSecrets.AppliedParameterProperty);
        }
        else if (current.Properties.TryGetValue(ClientSecrets.AppliedParameterProperty, out var applied)
            && applied.ValueKind == JsonValueKind.String && PasswordHasher.Verify(applied.GetString()!, secret))
        {
            descriptor.ClientSecret = current.ClientSecret;   // the parameter is unchanged: keep the secret in force (the same hash)
        }
        else
        {
            // a new parameter value (or none recorded yet): it becomes the secret; the secret is only stored hashed, so
            // it is compared by validating it
            if (!await applications.ValidateClientSecretAsync(existing, secret, ct))
            {
                outcome = ClientProvisioning.SecretChanged;
                ClientSecrets.MarkSet(descriptor, ClientSecrets.ByProvisioning, _time.GetUtcNow());
            }

            Applied(descriptor, secret);
        }

        await applications.UpdateAsync(existing, descriptor, ct);
        return outcome;
    }

    /// <summary>Records <paramref name="secret"/> as the parameter value applied to <paramref name="descriptor"/>.</summary>
    private void Applied(OpenIddictApplicationDescriptor descriptor, string secret)
    {
        descriptor.Properties[ClientSecrets.AppliedParameterProperty] = JsonSerializer.SerializeToElement(PasswordHasher.Hash(secret));
        if (!descriptor.Properties.ContainsKey(ClientSecrets.SetAtProperty))
        {
            ClientSecrets.MarkSet(descriptor, ClientSecrets.ByProvisioning, _time.GetUtcNow());
        }
    }

    private sealed class Target
    {
        public string ConnectionString { get; set; } = "";
    }
}

/// <summary>What <see cref="ClientProvisioner"/> did.</summary>
public enum ClientProvisioning
{
    /// <summary>The client existed; its settings were brought up to date (its secret kept).</summary>
    Updated = 0,

    /// <summary>The client was created.</summary>
    Created = 1,

    /// <summary>The client existed with another secret and the parameter's value changed: it now has the given one.</summary>
    SecretChanged = 2,
}
