using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Command-line options of the hot on-sale mode (<c>HoldBench onsale …</c>).</summary>
public sealed record OnSaleOptions
{
    public int Buyers { get; init; } = 100_000;

    public int Seats { get; init; } = 10_000;

    public int Concurrency { get; init; } = 64;

    /// <summary>Upper bound of the on-sale (joins and purchases together); buyers without a final answer by then count as unanswered.</summary>
    public int DurationLimitSeconds { get; init; } = 180;

    public int AdmitPerMinute { get; init; } = 60_000;

    /// <summary>Pause between two polls of one buyer's queue entry while it waits.</summary>
    public int PollMilliseconds { get; init; } = 100;

    public bool Durable { get; init; } = true;

    public int RawSeconds { get; init; } = 10;

    /// <summary>pgbench clients of the raw baseline.</summary>
    public int RawClients { get; init; } = 32;

    public int PgBenchThreads { get; init; } = 2;

    public string? OutputDirectory { get; init; }

    public string? PlotDirectory { get; init; }

    public const string Usage = """
        HoldBench onsale: a hot on-sale through the waiting room, end to end, against the same seat claim run raw by pgbench.

        Boots AppHost (cell eu only, throw-away data dir), creates a general-admission event of --seats tickets for reseller
        acme and turns its waiting room on (on-sale in an hour, --admit-per-minute). Then, C closed-loop workers:
          1. join: every buyer (distinct customer_ref) joins the queue, the integrator on the buyer's behalf;
          2. the sale opens (on_sale_at = now); the worker admits in queue order;
          3. buy: each worker takes the next buyer in join order, polls the entry (joining again) until admitted, holds
             1 ticket with the Admission-Token header; on 201 starts the payment, confirms it at the payment simulator
             with the test card and confirms the hold. 409 sold_out (or any other refusal) is that buyer's final answer.
        Afterwards, straight in Postgres: valid tickets = sold seats = 200 confirms, no seat twice, every buyer answered.
        Raw baseline: pgbench -c --raw-clients -M prepared with raw-claim.pgbench (one conditional UPDATE of a random seat of
        2,000,000, in a database of its own on the same server), --raw-seconds.
        Writes bench/out/onsale-<timestamp>.md and the plots bench/onsale-throughput.png, bench/onsale-latency.png.

        Usage: bench/run-onsale.sh [options]

        Options:
          -b, --buyers B            simulated buyers (default 100000)
          -n, --seats N             tickets of the event (default 10000)
          -c, --concurrency C       buyers in flight = HTTP workers = pgbench clients (default 64)
              --duration-limit T    seconds (or 180s) for joins + purchases together (default 180)
              --admit-per-minute R  waiting-room admission rate (default 60000, max 100000)
              --poll-ms P           pause between polls of a waiting buyer (default 100)
              --durable B           true: fsync on (default); false: fsync off
              --raw-seconds D       pgbench duration (default 10)
              --raw-clients K       pgbench clients of the raw baseline (default 32)
              --pgbench-threads J   pgbench -j (default 2)
              --out DIR             where the markdown report goes (default bench/out)
              --plots DIR           where the PNG plots go (default bench)
          -h, --help                this text
        """;

    /// <summary>Parses <paramref name="args"/> (after the word <c>onsale</c>); null with <paramref name="error"/> set when invalid or help was asked.</summary>
    public static OnSaleOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        var o = ArgReader.Parse(args, new OnSaleOptions(), static (reader, o) =>
        {
            switch (reader.Current)
            {
                case "-b" or "--buyers": return o with { Buyers = reader.Number(1, 1_000_000) };
                case "-n" or "--seats": return o with { Seats = reader.Number(1, 200_000) };
                case "-c" or "--concurrency": return o with { Concurrency = reader.Number(1, 1000) };
                case "--duration-limit": return o with { DurationLimitSeconds = reader.Seconds(5, 3600) };
                case "--admit-per-minute": return o with { AdmitPerMinute = reader.Number(1, 100_000) };
                case "--poll-ms": return o with { PollMilliseconds = reader.Number(1, 10_000) };
                case "--raw-seconds": return o with { RawSeconds = reader.Number(1, 600) };
                case "--raw-clients": return o with { RawClients = reader.Number(1, 200) };
                case "--pgbench-threads": return o with { PgBenchThreads = reader.Number(1, 64) };
                case "--durable": return o with { Durable = reader.Boolean() };
                case "--out": return o with { OutputDirectory = reader.Value() };
                case "--plots": return o with { PlotDirectory = reader.Value() };
                default: throw new FormatException($"unknown option '{reader.Current}'");
            }
        }, out error, out help);
        if (o is null)
        {
            return null;
        }

        if (o.Seats > o.Buyers)
        {
            error = "--seats larger than --buyers: nothing would sell out";
            return null;
        }

        return o;
    }
}
