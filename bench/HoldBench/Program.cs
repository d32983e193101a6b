using TicketAspire.Bench.HoldBench;

// modes: "onsale …" is the hot on-sale through the waiting room, "browse …" browsing at fixed arrival rates, "watchers …"
// live updates to thousands of watchers; anything else is the hold benchmark's options
var mode = args is [var first, ..] && first is "onsale" or "browse" or "watchers" ? first : "holds";
BenchOptions? options = null;
OnSaleOptions? onSaleOptions = null;
BrowseOptions? browseOptions = null;
WatchersOptions? watchersOptions = null;
string? error;
bool help;
string usage;
switch (mode)
{
    case "onsale":
        onSaleOptions = OnSaleOptions.Parse(args[1..], out error, out help);
        usage = OnSaleOptions.Usage;
        break;
    case "browse":
        browseOptions = BrowseOptions.Parse(args[1..], out error, out help);
        usage = BrowseOptions.Usage;
        break;
    case "watchers":
        watchersOptions = WatchersOptions.Parse(args[1..], out error, out help);
        usage = WatchersOptions.Usage;
        break;
    default:
        options = BenchOptions.Parse(args, out error, out help);
        usage = BenchOptions.Usage;
        break;
}

if (help)
{
    Console.WriteLine(usage);
    return 0;
}

if (options is null && onSaleOptions is null && browseOptions is null && watchersOptions is null)
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
return mode switch
{
    "onsale" => await new OnSaleRun(onSaleOptions!, pgbench, repoRoot).RunAsync(command, cts.Token),
    "browse" => await new BrowseRun(browseOptions!, pgbench, repoRoot).RunAsync(command, cts.Token),
    "watchers" => await new WatchersRun(watchersOptions!, pgbench, repoRoot).RunAsync(command, cts.Token),
    _ => await new BenchRun(options!, pgbench, repoRoot).RunAsync(command, cts.Token),
};
