using System.Diagnostics;
using StackExchange.Redis;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Api.Tests.Infrastructure;

/// <summary>
/// Debian's <c>redis-server</c> (the alternative a cell file may choose) as a child process on a free loopback port,
/// without persistence; installed by <c>.ci/run</c>.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServerProcess(Process process, int port, ConnectionMultiplexer redis)
    {
        _process = process;
        Port = port;
        Redis = redis;
    }

    public int Port { get; }

    public IConnectionMultiplexer Redis { get; }

    public static async Task<RedisServerProcess> StartAsync()
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _ = process.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var redis = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
                {
                    EndPoints = { { "127.0.0.1", port } },
                    AllowAdmin = true,
                    ConnectTimeout = 1000,
                });
                return new RedisServerProcess(process, port, redis);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
