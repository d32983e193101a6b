using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// One watcher of <c>GET /v1/events/{id}/stream</c>: reads the stream as bytes, splits it into Server-Sent Events, and for
/// each seat named by a <c>seats</c> event notes when it arrived (the time the read that completed it returned). Keeps a
/// slot per (seat, held|sold): a second arrival for the same slot is a duplicate, a status other than held or sold or a
/// seat not of the event is unexpected.
/// </summary>
public sealed class SseWatcher(int index, int replica, LiveSale sale)
{
    private readonly long[] _received = new long[sale.Changes];
    private readonly TaskCompletionSource _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ArrayBufferWriter<byte> _data = new(512);
    private EventKind _type;
    private long _lastId = -1;
    private int _receivedCount;

    private enum EventKind
    {
        Message = 0,
        Snapshot = 1,
        Seats = 2,
        Heartbeat = 3,
        Cancelled = 4,
    }

    public int Index { get; } = index;

    public int Replica { get; } = replica;

    /// <summary>When each change slot arrived (Stopwatch ticks; 0 = not yet).</summary>
    public IReadOnlyList<long> Received => _received;

    public int ReceivedCount => Volatile.Read(ref _receivedCount);

    public long SeatEvents { get; private set; }

    public long Heartbeats { get; private set; }

    public long Duplicates { get; private set; }

    public long Unexpected { get; private set; }

    /// <summary>
    /// Seat events whose id is below one seen before: not an error, the log's order is (transaction id, row id) and a row
    /// id is taken before its transaction commits.
    /// </summary>
    public long OutOfOrder { get; private set; }

    /// <summary>Why the stream ended before the bench closed it (null while it runs or when the bench closed it).</summary>
    public string? EndedEarly { get; private set; }

    public Task Snapshot => _snapshot.Task;

    /// <summary>Reads the stream until it ends or <paramref name="ct"/> is cancelled.</summary>
    public async Task ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        var buffer = new byte[4096];
        var length = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var n = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (n == 0)
                {
                    EndedEarly = "the server ended the stream";
                    break;
                }

                length = Consume(buffer, length + n, Stopwatch.GetTimestamp());
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
        {
            EndedEarly = ct.IsCancellationRequested ? null : $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            _snapshot.TrySetException(new InvalidOperationException(EndedEarly ?? "closed before the snapshot"));
        }
    }

    /// <summary>Handles every complete line of <paramref name="buffer"/>; moves the rest to its start and returns its length.</summary>
    private int Consume(byte[] buffer, int length, long at)
    {
        var pos = 0;
        while (true)
        {
            var nl = buffer.AsSpan(pos, length - pos).IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }

            var line = buffer.AsSpan(pos, nl);
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            Line(line, at);
            pos += nl + 1;
        }

        if (pos > 0)
        {
            Buffer.BlockCopy(buffer, pos, buffer, 0, length - pos);
        }

        return length - pos;
    }

    private void Line(ReadOnlySpan<byte> line, long at)
    {
        if (line.IsEmpty)
        {
            Dispatch(at);
            _type = EventKind.Message;
            _data.ResetWrittenCount();
            return;
        }

        if (line.StartsWith("event:"u8))
        {
            var value = Value(line, 6);
            _type = value.SequenceEqual("seats"u8) ? EventKind.Seats
                : value.SequenceEqual("snapshot"u8) ? EventKind.Snapshot
                : value.SequenceEqual("heartbeat"u8) ? EventKind.Heartbeat
                : value.SequenceEqual("cancelled"u8) ? EventKind.Cancelled
                : EventKind.Message;
        }
        else if (line.StartsWith("data:"u8))
        {
            if (_data.WrittenCount > 0)
            {
                _data.Write("\n"u8);
            }

            _data.Write(Value(line, 5));
        }
        else if (line.StartsWith("id:"u8))
        {
            if (long.TryParse(Value(line, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                if (id <= _lastId && _type == EventKind.Seats)
                {
                    OutOfOrder++;
                }

                _lastId = Math.Max(_lastId, id);
            }
        }
    }

    private static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> line, int skip)
    {
        var value = line[skip..];
        return value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value;
    }

    private void Dispatch(long at)
    {
        switch (_type)
        {
            case EventKind.Snapshot:
                _snapshot.TrySetResult();
                break;
            case EventKind.Heartbeat:
                Heartbeats++;
                break;
            case EventKind.Seats:
                SeatEvents++;
                Seats(_data.WrittenSpan, at);
                break;
            case EventKind.Cancelled:
                Unexpected++;
                break;
            default:
                break;
        }
    }

    /// <summary><c>{"topic":"hold.created","seats":[{"seat_id":"…","status":"held"}, …]}</c></summary>
    private void Seats(ReadOnlySpan<byte> json, long at)
    {
        var reader = new Utf8JsonReader(json);
        Guid seat = default;
        var haveSeat = false;
        var kind = -1;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("seat_id"u8) && reader.Read())
                {
                    haveSeat = reader.TryGetGuid(out seat);
                }
                else if (reader.ValueTextEquals("status"u8) && reader.Read())
                {
                    kind = reader.ValueTextEquals("held"u8) ? 0 : reader.ValueTextEquals("sold"u8) ? 1 : -1;
                }
            }
            else if (reader.TokenType == JsonTokenType.EndObject && haveSeat)
            {
                if (kind < 0 || !sale.TryIndex(seat, out var i))
                {
                    Unexpected++;
                }
                else
                {
                    ref var slot = ref _received[LiveSale.Slot(i, kind)];
                    if (slot == 0)
                    {
                        slot = at;
                        Interlocked.Increment(ref _receivedCount);
                    }
                    else
                    {
                        Duplicates++;
                    }
                }

                (haveSeat, kind) = (false, -1);
            }
        }
    }
}
