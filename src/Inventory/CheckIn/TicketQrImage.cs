using QRCoder;

namespace TicketAspire.Inventory.CheckIn;

/// <summary>A ticket's signed payload as a QR code image (PNG, error correction level M, a 4-module quiet zone).</summary>
public static class TicketQrImage
{
    /// <summary>The PNG of <paramref name="payload"/>, <paramref name="pixelsPerModule"/> pixels per module.</summary>
    public static byte[] Png(string payload, int pixelsPerModule = 6)
    {
        ArgumentException.ThrowIfNullOrEmpty(payload);
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelsPerModule, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixelsPerModule, 40);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }
}
