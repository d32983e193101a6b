using System.Buffers.Binary;
using System.IO.Compression;

namespace TicketAspire.AppHost.Tests;

/// <summary>Small valid PNG images for the logo tests: a coloured plate with a white frame.</summary>
internal static class TestPng
{
    public static byte[] Create(int width, int height, (byte R, byte G, byte B) colour)
    {
        var raw = new byte[height * (1 + width * 3)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + width * 3);                       // filter byte 0 (none), then RGB
            for (var x = 0; x < width; x++)
            {
                var frame = x < 4 || y < 4 || x >= width - 4 || y >= height - 4;
                raw[row + 1 + x * 3] = frame ? (byte)255 : colour.R;
                raw[row + 2 + x * 3] = frame ? (byte)255 : colour.G;
                raw[row + 3 + x * 3] = frame ? (byte)255 : colour.B;
            }
        }

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                           // 8 bits per channel, colour type 2 (RGB)
        header[9] = 2;
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        png.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
