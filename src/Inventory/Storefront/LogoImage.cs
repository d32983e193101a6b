namespace TicketAspire.Inventory.Storefront;

/// <summary>
/// The logo images a storefront accepts: PNG, JPEG or WebP of at most <see cref="MaxBytes"/>, recognised by their first
/// bytes (the declared content type must agree). SVG is not accepted: it can carry scripts.
/// </summary>
public static class LogoImage
{
    /// <summary>The largest logo, 256 KiB.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>The content types accepted.</summary>
    public static readonly IReadOnlyList<string> ContentTypes = ["image/png", "image/jpeg", "image/webp"];

    /// <summary>The content type the bytes are, by their signature, or null when they are none of the accepted formats.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }
}
