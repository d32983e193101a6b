using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Command-line options of the live-updates mode (<c>HoldBench watchers …</c>).</summary>
public sealed record WatchersOptions
{
    public int Watchers { get; init; } = 5000;

    /// <summary>Seats of the event that sells out.</summary>
    public int Seats { get; init; } = 400;

    public int SeatsPerHold { get; init; } = 4;

    /// <summary>Buyers in flight (closed loop).</summary>
    public int Buyers { get; init; } = 8;

    /// <summary>false: holds only (no payment, no confirm).</summary>
    public bool Confirm { get; init; } = true;

    /// <summary>Watchers opening their stream at the same time while connecting.</summary>
    public int ConnectConcurrency { get; init; } = 128;

    /// <summary>Upper bound of the sell-out; what is unsold by then stays unsold.</summary>
    public int SaleLimitSeconds { get; init; } = 60;

    /// <summary>How long after the last change the watchers may take to receive it.</summary>
    public int DrainSeconds { get; init; } = 20;

    /// <summary>
    /// Shedding:MaxInFlight of the API for this run (0 keeps the API's default). Every open stream counts as a request in
    /// flight, so the default (2000 per replica) sheds new watchers and then purchases long before 5,000 watchers.
    /// </summary>
    public int SheddingMaxInFlight { get; init; } = 100_000;

    public bool Durable { get; init; } = true;

    public string? OutputDirectory { get; init; }

    public string? PlotDirectory { get; init; }

    public const string Usage = """
        HoldBench watchers: thousands of Server-Sent-Events watchers of one event while it sells out.

        Boots AppHost (cell eu only, throw-away data dir, 2 API replicas), creates a reserved-seating event of --seats
        seats, opens --watchers streams GET /v1/events/{id}/stream (public, Host acme.eu.localhost) spread evenly over the
        replicas' own addresses and waits for every snapshot; the API processes' VmRSS is read before and after. Then
        --buyers closed-loop buyers sell the event out, --seats-per-hold seats at a time: hold (201: the seats are held),
        payment, the buyer's confirmation at the payment simulator, confirm (200: the seats are sold). For every seat
        change and every watcher, the delivery latency runs from the bench's receipt of the 201/200 to the watcher's
        receipt of the SSE event naming that seat. Every watcher must see every change (missed = 0).
        The anonymous per-IP rate limit is raised for the run (every watcher connects from 127.0.0.1).
        Writes bench/out/watchers-<timestamp>.md and the plots bench/watchers-latency.png, bench/watchers-throughput.png.

        Usage: bench/run-watchers.sh [options]

        Options:
          -w, --watchers W          SSE watchers (default 5000)
          -n, --seats N             seats of the event (default 400)
              --seats-per-hold K    seats per hold (default 4)
          -c, --buyers C            buyers in flight (default 8)
              --holds-only          hold without paying and confirming (only the held changes)
              --connect-concurrency K  streams being opened at once (default 128)
              --sale-limit T        seconds (or 60s) for the sell-out (default 60)
              --drain T             seconds the watchers get after the last change (default 20)
              --shedding-max-in-flight M  the API's Shedding:MaxInFlight for the run (default 100000; 0 = the API's own)
              --durable B           true: fsync on (default); false: fsync off
              --out DIR             where the markdown report goes (default bench/out)
              --plots DIR           where the PNG plots go (default bench)
          -h, --help                this text
        """;

    /// <summary>Parses <paramref name="args"/> (after the word <c>watchers</c>); null with <paramref name="error"/> set when invalid or help was asked.</summary>
    public static WatchersOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        var o = ArgReader.Parse(args, new WatchersOptions(), static (reader, o) =>
        {
            switch (reader.Current)
            {
                case "-w" or "--watchers": return o with { Watchers = reader.Number(1, 20_000) };
                case "-n" or "--seats": return o with { Seats = reader.Number(1, 20_000) };
                case "--seats-per-hold": return o with { SeatsPerHold = reader.Number(1, 50) };
                case "-c" or "--buyers": return o with { Buyers = reader.Number(1, 1000) };
                case "--holds-only": return o with { Confirm = false };
                case "--connect-concurrency": return o with { ConnectConcurrency = reader.Number(1, 5000) };
                case "--sale-limit": return o with { SaleLimitSeconds = reader.Seconds(5, 3600) };
                case "--drain": return o with { DrainSeconds = reader.Seconds(1, 600) };
                case "--shedding-max-in-flight": return o with { SheddingMaxInFlight = reader.Number(0, 10_000_000) };
                case "--durable": return o with { Durable = reader.Boolean() };
                case "--out": return o with { OutputDirectory = reader.Value() };
                case "--plots": return o with { PlotDirectory = reader.Value() };
                default: throw new FormatException($"unknown option '{reader.Current}'");
            }
        }, out error, out help);
        return o;
    }
}
