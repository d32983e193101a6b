using System.Text;
using Microsoft.AspNetCore.Http;
using TicketAspire.Api.Infrastructure;

namespace TicketAspire.Api.Tests;

public sealed class CappedBodyShould
{
    [Fact]
    public async Task RefuseAnAnnouncedLengthAboveTheBoundWithoutReadingAByte()
    {
        var body = new CountingStream(new byte[10_000]);
        var request = Request(body, contentLength: 20_000_000);

        Assert.Null(await CappedBody.ReadAsync(request, 1024, CancellationToken.None));
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task StopReadingABodyWithoutLengthOnceItPassesTheBound()
    {
        // chunked: no Content-Length, 10 MB on the way
        var body = new CountingStream(new byte[10 * 1024 * 1024]);
        var request = Request(body, contentLength: null);

        Assert.Null(await CappedBody.ReadAsync(request, 64 * 1024, CancellationToken.None));
        Assert.Equal(64 * 1024 + 1, body.BytesRead);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReturnABodyUpToTheBound(bool announced)
    {
        var bytes = Encoding.UTF8.GetBytes(new string('x', 1024));
        var request = Request(new CountingStream(bytes), announced ? bytes.Length : null);

        Assert.Equal(bytes, await CappedBody.ReadAsync(request, 1024, CancellationToken.None));
    }

    private static HttpRequest Request(Stream body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = body;
        context.Request.ContentLength = contentLength;
        return context.Request;
    }

    /// <summary>A body that counts what was read of it.</summary>
    private sealed class CountingStream(byte[] content) : MemoryStream(content)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        // MemoryStream's asynchronous reads go through these two
        public override int Read(Span<byte> buffer) => Count(base.Read(buffer));

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
