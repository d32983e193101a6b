using Garnet;

// A Redis-protocol server (Microsoft Garnet) as a plain process, one per reseller.
// The AppHost passes the port DCP allocated in GARNET_PORT.
var port = Environment.GetEnvironmentVariable("GARNET_PORT") ?? (args.Length > 0 ? args[0] : "6379");
using var server = new GarnetServer(["--port", port, "--lua", "--bind", "127.0.0.1"]);
server.Start();
Console.WriteLine($"garnet: listening on 127.0.0.1:{port}");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
await stop.Task;
Console.WriteLine("garnet: stopping");
