using Garnet;

// A Redis-protocol server (Microsoft Garnet) as a plain process, one per reseller.
// The AppHost passes the port DCP allocated in GARNET_PORT; the provisioner (resellers onboarded at run time) passes a
// free port and its own pid in GARNET_PARENT_PID, and the server exits when that process is gone.
var port = Environment.GetEnvironmentVariable("GARNET_PORT") ?? (args.Length > 0 ? args[0] : "6379");
using var server = new GarnetServer(["--port", port, "--lua", "--bind", "127.0.0.1"]);
server.Start();
Console.WriteLine($"garnet: listening on 127.0.0.1:{port}");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
if (int.TryParse(Environment.GetEnvironmentVariable("GARNET_PARENT_PID"), out var parent))
{
    _ = Task.Run(async () =>
    {
        while (!stop.Task.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (!Directory.Exists($"/proc/{parent}") && !IsAlive(parent))
            {
                Console.WriteLine($"garnet: parent {parent} is gone");
                stop.TrySetResult();
            }
        }
    });
}

await stop.Task;
Console.WriteLine("garnet: stopping");

static bool IsAlive(int pid)
{
    try
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        return !process.HasExited;
    }
    catch (ArgumentException)
    {
        return false;
    }
}
