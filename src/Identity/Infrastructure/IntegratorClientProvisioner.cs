using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// Creates (or brings up to date) a reseller's first integrator client in that reseller's database: confidential,
/// client credentials only, the integrator scopes. The cell migrator runs it with the secret the AppHost passes from an
/// Aspire parameter; OpenIddict stores only a hash of the secret.
/// </summary>
public sealed class IntegratorClientProvisioner : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    /// <summary>Builds OpenIddict's core services over a database chosen per call.</summary>
    public IntegratorClientProvisioner()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScoped<Target>();
        services.AddDbContext<IdentityDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<Target>().ConnectionString).UseOpenIddict());
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>());
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Ensures client <paramref name="clientId"/> exists in the database of <paramref name="connectionString"/> with <paramref name="secret"/>.</summary>
    public async Task<ClientProvisioning> EnsureAsync(string connectionString, string clientId, string displayName, string secret, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Target>().ConnectionString = connectionString;
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
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
        foreach (var name in IdentityScopes.Integrator)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + name);
        }

        var existing = await applications.FindByClientIdAsync(clientId, ct);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, ct);
            return ClientProvisioning.Created;
        }

        // the secret is only stored hashed: compare by validating it; a changed parameter rotates the secret
        if (await applications.ValidateClientSecretAsync(existing, secret, ct))
        {
            return ClientProvisioning.Unchanged;
        }

        await applications.UpdateAsync(existing, descriptor, ct);
        return ClientProvisioning.SecretChanged;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class Target
    {
        public string ConnectionString { get; set; } = "";
    }
}

/// <summary>What <see cref="IntegratorClientProvisioner.EnsureAsync"/> did.</summary>
public enum ClientProvisioning
{
    /// <summary>The client already had this secret.</summary>
    Unchanged = 0,

    /// <summary>The client was created.</summary>
    Created = 1,

    /// <summary>The client existed with another secret; it now has the given one.</summary>
    SecretChanged = 2,
}
