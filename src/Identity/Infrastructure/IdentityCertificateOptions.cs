namespace TicketAspire.Identity.Infrastructure;

/// <summary>One PFX certificate from configuration: a file (<see cref="Path"/>) or the file's bytes (<see cref="Base64"/>).</summary>
public sealed class IdentityCertificateOptions
{
    /// <summary>Path of a PFX file, e.g. a secret mounted into the container.</summary>
    public string? Path { get; set; }

    /// <summary>The PFX as base64, for secret stores that hold values rather than files.</summary>
    public string? Base64 { get; set; }

    /// <summary>Optional PFX password.</summary>
    public string? Password { get; set; }
}
