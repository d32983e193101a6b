using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace TicketAspire.AppHost.Tests;

/// <summary>One Server-Sent Event as a client receives it, with the time it arrived.</summary>
public sealed record SseMessage(string? Id, string Event, string Data, long ReceivedAt)
{
    public JsonObject Json => JsonNode.Parse(Data)!.AsObject();
}

/// <summary>A streaming client of <c>GET /v1/events/{id}/stream</c>: reads events as they arrive (heartbeats left out).</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly Channel<SseMessage> _messages = Channel.CreateUnbounded<SseMessage>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _disposed;

    private SseClient(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _response = response;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Opens the stream of <paramref name="eventId"/> on <paramref name="baseAddress"/> with a reseller's host.</summary>
    public static async Task<SseClient> OpenAsync(Uri baseAddress, string host, string eventId, string? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/events/{eventId}/stream");
        request.Headers.Host = host;
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(http, response);
    }

    /// <summary>The next event, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<SseMessage> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no event within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s");
        }
    }

    /// <summary>True when an event arrives within <paramref name="wait"/> (it is consumed).</summary>
    public async Task<SseMessage?> TryNextAsync(TimeSpan wait)
    {
        try
        {
            return await NextAsync(wait);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body);
            string? id = null, type = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0 && type != "heartbeat")
                    {
                        _messages.Writer.TryWrite(new SseMessage(id, type ?? "message", string.Join('\n', data), Stopwatch.GetTimestamp()));
                    }

                    (id, type) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line[6..]);
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line[5..]);
                }
            }

            _messages.Writer.TryComplete();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _response.Dispose();
        await _reader;
        _http.Dispose();
        _stop.Dispose();
    }
}
