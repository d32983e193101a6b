namespace TicketAspire.Identity.Infrastructure;

/// <summary>Where the cell's signing and encryption certificates live (the AppHost passes a directory under its data root).</summary>
public sealed class IdentityKeyOptions
{
    /// <summary>Directory of <c>signing.pfx</c> and <c>encryption.pfx</c>; created with mode 0600 files if missing.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Optional PFX password.</summary>
    public string? Password { get; set; }
}
