using System.Net;
using System.Net.Sockets;

namespace TicketAspire.Api.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a Redis server that can be made to stall: while stalled, it keeps the connections
/// open but holds back every reply, the way an overloaded or paused Redis behaves.
/// </summary>
public sealed class StallingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private volatile TaskCompletionSource _resume = Completed();
    private Task _accepting = Task.CompletedTask;

    public StallingProxy(int upstreamPort) => _upstreamPort = upstreamPort;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>From now on replies are held back.</summary>
    public void Stall() => _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Replies flow again (held-back ones included).</summary>
    public void Resume() => _resume.TrySetResult();

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
                lock (_connections)
                {
                    _connections.Add(client);
                    _connections.Add(upstream);
                }

                _ = PumpAsync(client.GetStream(), upstream.GetStream(), stallable: false);
                _ = PumpAsync(upstream.GetStream(), client.GetStream(), stallable: true);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool stallable)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                if (stallable)
                {
                    await _resume.Task.WaitAsync(_stop.Token);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // connection closed or proxy stopped
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
