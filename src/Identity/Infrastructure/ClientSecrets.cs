using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// A confidential client's secret over its lifetime: OpenIddict stores only the secret's hash; beside it, in the
/// application's <c>Properties</c>, this keeps when the secret was last set and by whom (a person's e-mail address, or
/// <see cref="ByProvisioning"/>) and a hash of the provisioning parameter last applied (<see cref="ClientProvisioner"/>
/// applies the parameter again only when its value changed, so a secret rotated here survives restarts).
/// </summary>
public sealed class ClientSecrets(IOpenIddictApplicationManager applications, TimeProvider time)
{
    /// <summary>Who set a secret that came from the provisioning parameter (migrator or provisioner).</summary>
    public const string ByProvisioning = "provisioning";

    /// <summary>Property: when the current secret was set (ISO 8601).</summary>
    public const string SetAtProperty = "secret_set_at";

    /// <summary>Property: who set the current secret (an e-mail address, or <see cref="ByProvisioning"/>).</summary>
    public const string SetByProperty = "secret_set_by";

    /// <summary>Property: Argon2id hash of the provisioning parameter's value last applied.</summary>
    public const string AppliedParameterProperty = "provisioned_secret_hash";

    /// <summary>Bytes of randomness in a generated secret (base64url: 43 characters).</summary>
    public const int SecretBytes = 32;

    /// <summary>A new random secret: <see cref="SecretBytes"/> bytes of <see cref="RandomNumberGenerator"/>, base64url.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The client <paramref name="clientId"/> of this issuer's database, or null.</summary>
    public async Task<ClientSecretState?> FindAsync(string clientId, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return null;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        return State(descriptor);
    }

    /// <summary>
    /// Gives the confidential client <paramref name="clientId"/> a new random secret (hashed by OpenIddict; the old one
    /// stops at once) and records who did it: the new secret, to be shown once, or null when there is no such client.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client is public: it has no secret to rotate.</exception>
    public async Task<(ClientSecretState State, string Secret)?> RotateAsync(string clientId, string rotatedBy, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(rotatedBy);
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return null;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        if (descriptor.ClientType != ClientTypes.Confidential)
        {
            throw new InvalidOperationException($"Client '{clientId}' is public: it has no secret.");
        }

        var secret = NewSecret();
        descriptor.ClientSecret = secret;   // OpenIddict hashes it: the descriptor held the old hash, a new value is obfuscated
        MarkSet(descriptor, rotatedBy, time.GetUtcNow());
        await applications.UpdateAsync(application, descriptor, ct);
        return (State(descriptor), secret);
    }

    /// <summary>Records on <paramref name="descriptor"/> that its secret was set by <paramref name="by"/> at <paramref name="at"/>.</summary>
    public static void MarkSet(OpenIddictApplicationDescriptor descriptor, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        descriptor.Properties[SetAtProperty] = JsonSerializer.SerializeToElement(at.ToUniversalTime());
        descriptor.Properties[SetByProperty] = JsonSerializer.SerializeToElement(by);
    }

    private static ClientSecretState State(OpenIddictApplicationDescriptor descriptor) => new(
        descriptor.ClientId!,
        descriptor.DisplayName,
        descriptor.ClientType == ClientTypes.Confidential,
        descriptor.Properties.TryGetValue(SetAtProperty, out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null,
        descriptor.Properties.TryGetValue(SetByProperty, out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null);
}

/// <summary>A client as the reseller console shows it: no secret, only when it was set and by whom.</summary>
/// <param name="ClientId">Client id.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="Confidential">True for a client with a secret (an integrator); false for a public client.</param>
/// <param name="SecretSetAt">When its secret was last set; null when unknown (set before this was recorded).</param>
/// <param name="SecretSetBy">Who set it: a person's e-mail address, or <see cref="ClientSecrets.ByProvisioning"/>.</param>
public sealed record ClientSecretState(string ClientId, string? DisplayName, bool Confidential, DateTimeOffset? SecretSetAt, string? SecretSetBy);
