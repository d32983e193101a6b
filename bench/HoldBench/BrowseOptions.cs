using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Command-line options of the browse-under-load mode (<c>HoldBench browse …</c>).</summary>
public sealed record BrowseOptions
{
    /// <summary>Arrival rates of the steps, requests per second (event pages and seat maps together).</summary>
    public IReadOnlyList<int> Rates { get; init; } = [200, 500, 1000];

    public int StepSeconds { get; init; } = 20;

    /// <summary>Share of the requests that ask for the seat map (the rest ask for the event page).</summary>
    public double SeatMapShare { get; init; } = 0.5;

    /// <summary>Seats of the browsed event (the size of its seat map).</summary>
    public int Seats { get; init; } = 1000;

    /// <summary>Closed-loop hold workers running during every step (0: browsing alone).</summary>
    public int HoldWorkers { get; init; } = 16;

    /// <summary>Seats of the event the hold load claims, one per hold.</summary>
    public int HoldSeats { get; init; } = 40_000;

    /// <summary>Connections of the browsing client to the API endpoint (requests beyond wait in the client, timed from their schedule).</summary>
    public int Connections { get; init; } = 2000;

    public int WarmupSeconds { get; init; } = 3;

    public bool Durable { get; init; } = true;

    public string? OutputDirectory { get; init; }

    public string? PlotDirectory { get; init; }

    public const string Usage = """
        HoldBench browse: the event page and the seat map at fixed arrival rates (open loop), with a hold load alongside.

        Boots AppHost (cell eu only, throw-away data dir, 2 API replicas behind the one endpoint), creates a reserved-seating
        event of --seats seats to browse and another of --hold-seats for the hold load. Then, for each rate R of --rates,
        for --step-seconds: a request is scheduled every 1/R s whatever the answers (GET /v1/events/{id}, or with
        --seat-map-share probability GET /v1/events/{id}/seats; public, Host acme.eu.localhost, no token), and its latency
        runs from its scheduled time to the end of its body (no coordinated omission). Meanwhile --hold-workers closed-loop
        workers POST one-seat holds as the integrator. 503 overloaded (load shedding, with Retry-After) is counted apart.
        The anonymous per-IP rate limit is raised for the run (every request comes from 127.0.0.1).
        Writes bench/out/browse-<timestamp>.md and the plots bench/browse-latency.png, bench/browse-throughput.png.

        Usage: bench/run-browse.sh [options]

        Options:
              --rates R1,R2,...     arrival rates in requests/s (default 200,500,1000)
              --seconds D           seconds per rate step (default 20)
              --seat-map-share P    share of seat-map requests, 0..1 (default 0.5)
          -n, --seats N             seats of the browsed event (default 1000)
              --hold-workers C      closed-loop hold workers during the steps, 0 for none (default 16)
              --hold-seats S        seats of the hold-load event (default 40000)
              --connections K       client connections to the API (default 2000)
              --warmup D            seconds of warm-up at the first rate, not measured (default 3)
              --durable B           true: fsync on (default); false: fsync off
              --out DIR             where the markdown report goes (default bench/out)
              --plots DIR           where the PNG plots go (default bench)
          -h, --help                this text
        """;

    /// <summary>Parses <paramref name="args"/> (after the word <c>browse</c>); null with <paramref name="error"/> set when invalid or help was asked.</summary>
    public static BrowseOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        var o = ArgReader.Parse(args, new BrowseOptions(), static (reader, o) =>
        {
            switch (reader.Current)
            {
                case "--rates":
                    var rates = reader.Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    return o with { Rates = rates.Length > 0 ? [.. rates.Select(r => reader.Number(1, 20_000, r))] : throw new FormatException("--rates: at least one rate") };
                case "--seconds": return o with { StepSeconds = reader.Seconds(1, 600) };
                case "--seat-map-share":
                    var share = reader.Value();
                    return double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
                        ? o with { SeatMapShare = p }
                        : throw new FormatException($"--seat-map-share: '{share}' is not a number from 0 to 1");
                case "-n" or "--seats": return o with { Seats = reader.Number(1, 100_000) };
                case "--hold-workers": return o with { HoldWorkers = reader.Number(0, 1000) };
                case "--hold-seats": return o with { HoldSeats = reader.Number(1000, 200_000) };
                case "--connections": return o with { Connections = reader.Number(1, 20_000) };
                case "--warmup": return o with { WarmupSeconds = reader.Seconds(0, 120) };
                case "--durable": return o with { Durable = reader.Boolean() };
                case "--out": return o with { OutputDirectory = reader.Value() };
                case "--plots": return o with { PlotDirectory = reader.Value() };
                default: throw new FormatException($"unknown option '{reader.Current}'");
            }
        }, out error, out help);
        return o;
    }
}
