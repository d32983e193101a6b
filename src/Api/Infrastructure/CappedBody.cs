using System.Buffers;

namespace TicketAspire.Api.Infrastructure;

/// <summary>
/// Reads a request body only up to a bound: a <c>Content-Length</c> above it is refused before a byte is read, and a body
/// without one (chunked) is read until the bound is passed, then refused. Memory per request is at most the bound.
/// </summary>
public static class CappedBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        try
        {
            using var body = new MemoryStream(capacity: (int)Math.Min(request.ContentLength ?? 0, maxBytes));
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, maxBytes + 1 - (int)body.Length)), ct)) > 0)
            {
                body.Write(buffer, 0, read);
                if (body.Length > maxBytes)
                {
                    return null;
                }
            }

            return body.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
