namespace TicketAspire.Identity.Infrastructure;

/// <summary>What a key of the cell's key ring is for.</summary>
public enum KeyKind
{
    /// <summary>Signs tokens; published in the JWKS so APIs can validate them.</summary>
    Signing = 0,

    /// <summary>Encrypts the tokens only the identity service reads (codes, refresh tokens); never published.</summary>
    Encryption = 1,
}
