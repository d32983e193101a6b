using TicketAspire.Bench.HoldBench;

var options = BenchOptions.Parse(args, out var error, out var help);
if (help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (options is null)
{
    await Console.Error.WriteLineAsync($"holdbench: {error}\n\n{BenchOptions.Usage}");
    return 2;
}

if (PgBench.Find() is not { } pgbench)
{
    await Console.Error.WriteLineAsync(
        "holdbench: pgbench not found on PATH or in /usr/bin. It comes with Debian's PostgreSQL client: apt-get install postgresql-client " +
        "(or postgresql-contrib), then run again.");
    return 3;
}

var repoRoot = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(repoRoot, "TicketAspire.sln")))
{
    repoRoot = Path.GetDirectoryName(repoRoot.TrimEnd('/'))
        ?? throw new InvalidOperationException("TicketAspire.sln not found above " + AppContext.BaseDirectory);
}

using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
Console.CancelKeyPress += (_, e) =>
{
    // stop measuring but let the AppHost shut its processes down
    e.Cancel = true;
    cts.Cancel();
};

var command = Environment.GetEnvironmentVariable("HOLDBENCH_COMMAND") ?? "TicketAspire.Bench.HoldBench " + string.Join(' ', args);
return await new BenchRun(options, pgbench, repoRoot).RunAsync(command, cts.Token);
