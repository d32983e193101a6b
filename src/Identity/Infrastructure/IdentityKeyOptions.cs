namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// Where the cell's signing and encryption certificates come from (section <c>IdentityKeyOptions</c>). Either certificates
/// from configuration (production: a secret store fills <c>SigningCertificates</c> and <c>EncryptionCertificates</c>), or a
/// directory of PFX files (development: the AppHost passes one under its data root). See <c>docs/key-rollover.md</c>.
/// </summary>
public sealed class IdentityKeyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = nameof(IdentityKeyOptions);

    /// <summary>
    /// Directory of <c>signing*.pfx</c> and <c>encryption*.pfx</c> files, all of them loaded; one of each kind is generated
    /// (mode 0600) when the directory holds none. Not used when certificates are configured.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Optional password of the PFX files in <see cref="Directory"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Signing certificates from configuration (<c>IdentityKeyOptions:SigningCertificates:0:Path</c>, …).</summary>
    public List<IdentityCertificateOptions> SigningCertificates { get; } = [];

    /// <summary>Encryption certificates from configuration (<c>IdentityKeyOptions:EncryptionCertificates:0:Base64</c>, …).</summary>
    public List<IdentityCertificateOptions> EncryptionCertificates { get; } = [];

    /// <summary>True when certificates come from configuration rather than from <see cref="Directory"/>.</summary>
    public bool HasConfiguredCertificates => SigningCertificates.Count > 0 || EncryptionCertificates.Count > 0;
}
