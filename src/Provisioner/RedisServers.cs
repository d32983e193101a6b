using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace TicketAspire.Provisioner;

/// <summary>
/// The Redis-protocol servers of the resellers onboarded at run time: one process per reseller (GarnetHost, or
/// <c>redis-server</c> when the cell says so) on a free loopback port, started and stopped here. A Garnet server watches
/// this process and exits with it (<c>GARNET_PARENT_PID</c>); when the provisioner starts again it starts every onboarded
/// reseller's server again, on its recorded port when that is free (Redis holds caches only: nothing is lost).
/// In production a reseller's Redis would be a managed instance (or a Redis/Garnet StatefulSet per reseller created
/// through the cluster's API) and its endpoint recorded in the catalog the same way.
/// </summary>
public sealed partial class RedisServers(IOptions<ProvisionerOptions> options, ILogger<RedisServers> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (Process Process, int Port)> _servers = new(StringComparer.Ordinal);

    /// <summary>The endpoint (<c>127.0.0.1:port</c>) of the reseller's running server, starting one if needed.</summary>
    public async Task<string> StartAsync(string resellerId, int? preferredPort, CancellationToken ct)
    {
        if (_servers.TryGetValue(resellerId, out var running) && !running.Process.HasExited && await PingAsync(running.Port, ct))
        {
            return Endpoint(running.Port);
        }

        await StopAsync(resellerId);
        var port = preferredPort is { } wanted && IsFree(wanted) ? wanted : FreePort();
        var process = Process.Start(StartInfo(port)) ?? throw new InvalidOperationException("The Redis server did not start.");
        _servers[resellerId] = (process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { LogOutput(logger, resellerId, line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { LogOutput(logger, resellerId, line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await PingAsync(port, ct))
        {
            if (process.HasExited || deadline.Elapsed > options.Value.RedisStartTimeout)
            {
                await StopAsync(resellerId);
                throw new InvalidOperationException($"The Redis server of {resellerId} did not answer PING on port {port}.");
            }

            await Task.Delay(100, ct);
        }

        LogStarted(logger, resellerId, options.Value.RedisKind, port, process.Id);
        return Endpoint(port);
    }

    /// <summary>Stops the reseller's server; nothing happens when it runs none.</summary>
    public async Task StopAsync(string resellerId)
    {
        if (!_servers.TryRemove(resellerId, out var server))
        {
            return;
        }

        try
        {
            if (!server.Process.HasExited)
            {
                server.Process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await server.Process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            LogStopFailed(logger, resellerId, ex.Message);
        }
        finally
        {
            server.Process.Dispose();
        }
    }

    /// <summary>True when the reseller has a server started here that is still running.</summary>
    public bool IsRunning(string resellerId) => _servers.TryGetValue(resellerId, out var s) && !s.Process.HasExited;

    /// <summary>True when something answers PING on <paramref name="port"/> of the loopback address.</summary>
    public static async Task<bool> PingAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var id in _servers.Keys.ToList())
        {
            await StopAsync(id);
        }
    }

    private ProcessStartInfo StartInfo(int port)
    {
        var o = options.Value;
        var info = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (o.RedisKind == "redis-server")
        {
            info.FileName = "redis-server";
            foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            {
                info.ArgumentList.Add(arg);
            }
        }
        else
        {
            if (!File.Exists(o.GarnetHostAssembly))
            {
                throw new InvalidOperationException($"Provisioner:GarnetHostAssembly '{o.GarnetHostAssembly}' does not exist (build src/GarnetHost).");
            }

            info.FileName = "dotnet";
            info.ArgumentList.Add(o.GarnetHostAssembly);
            info.WorkingDirectory = Path.GetDirectoryName(o.GarnetHostAssembly)!;
            info.Environment["GARNET_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            info.Environment["GARNET_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // not this service's telemetry identity, nor its lean-GC settings (a Redis server is on every request's path)
            foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)
                         || k.StartsWith("DOTNET_gc", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_TieredPGO").ToList())
            {
                info.Environment.Remove(name);
            }
        }

        return info;
    }

    private static string Endpoint(int port) => $"127.0.0.1:{port}";

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Reseller}: {Kind} server on 127.0.0.1:{Port} (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string reseller, string kind, int port, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Reseller} redis: {Line}")]
    private static partial void LogOutput(ILogger logger, string reseller, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reseller}: stopping its Redis server failed: {Error}")]
    private static partial void LogStopFailed(ILogger logger, string reseller, string error);
}
