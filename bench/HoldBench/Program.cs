using TicketAspire.Bench.HoldBench;

// modes: "onsale …" is the hot on-sale through the waiting room; anything else is the hold benchmark's options
var onSale = args is ["onsale", ..];
BenchOptions? options = null;
OnSaleOptions? onSaleOptions = null;
string? error;
bool help;
if (onSale)
{
    onSaleOptions = OnSaleOptions.Parse(args[1..], out error, out help);
}
else
{
    options = BenchOptions.Parse(args, out error, out help);
}

var usage = onSale ? OnSaleOptions.Usage : BenchOptions.Usage;
if (help)
{
    Console.WriteLine(usage);
    return 0;
}

if (options is null && onSaleOptions is null)
{
    await Console.Error.WriteLineAsync($"holdbench: {error}\n\n{usage}");
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
return onSaleOptions is not null
    ? await new OnSaleRun(onSaleOptions, pgbench, repoRoot).RunAsync(command, cts.Token)
    : await new BenchRun(options!, pgbench, repoRoot).RunAsync(command, cts.Token);
