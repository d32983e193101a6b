using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Command-line options of the hold benchmark.</summary>
public sealed record BenchOptions
{
    public int Seats { get; init; } = 50_000;

    public int Concurrency { get; init; } = 200;

    public int DurationSeconds { get; init; } = 10;

    /// <summary>
    /// Closed-loop load before the measured phase, on other seats of the same event: the API replicas are seconds old when
    /// the bench starts, and tiered compilation still takes a fifth of their CPU in the first half minute of load.
    /// </summary>
    public int WarmupSeconds { get; init; } = 20;

    public bool Durable { get; init; } = true;

    /// <summary>pgbench clients of the raw baseline.</summary>
    public int RawClients { get; init; } = 32;

    public int PgBenchThreads { get; init; } = 2;

    /// <summary>The open-loop phase's rate as a share of the closed-loop maximum.</summary>
    public double OpenLoopShare { get; init; } = 0.5;

    public int ContentionRequests { get; init; } = 2_000;

    public int ContentionSeats { get; init; } = 50;

    public string? OutputDirectory { get; init; }

    /// <summary>Extra environment of eu-api (experiments: log level, pool size, OpenTelemetry).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ApiEnvironment { get; init; } = [];

    /// <summary>Appended to eu-api's ConnectionStrings__postgres (e.g. <c>Max Auto Prepare=20</c>).</summary>
    public string? ApiNpgsql { get; init; }

    public const string Usage = """
        HoldBench: hold throughput and latency of the real AppHost against a raw seat claim on the same Postgres server.

        Boots AppHost (cell eu only, throw-away data dir under /tmp, fsync on), creates reserved-seating events for reseller
        acme over HTTP, then, each phase D seconds:
          1. closed loop: C workers POST /v1/holds (one distinct seat, one distinct customer each) as fast as answered:
             the maximum rate (holds/s of the headline);
          2. open loop: holds sent on a fixed schedule at --open-share percent of that maximum; latency from each request's due
             time (p99 target < 50 ms);
          3. contention: --contention-requests holds from C workers on an event of --contention-seats seats, each for a
             random seat of it: exactly that many seats held, every other answer 409 (p99 target < 100 ms);
          4. raw baseline: pgbench -c --raw-clients -M prepared running bench/HoldBench/raw-claim.pgbench,
             UPDATE seats SET status = 1, held_until = now() + interval '10 min' WHERE id = :random_id AND
             (status = 0 OR held_until < now()) on a 2,000,000-row table in its own database of the same server.
        Then verifies the database, prints a markdown report (also written to bench/out/holds-<timestamp>.md) whose first
        line is the headline: holds_per_s=N raw_claims_per_s=M ratio=R.

        Usage: bench/run-holds.sh [options]      (builds Release, then runs; about 3 minutes with the defaults on 2 cores)

        Options:
          -c, --concurrency C         closed-loop and contention HTTP workers (default 200)
          -d, --duration D            seconds of each timed phase (default 10)
          -w, --warmup W              seconds of closed-loop warm-up on other seats, not counted (default 20: the
                                      replicas are new and tiered compilation busy in their first half minute)
          -n, --seats N               seats of the closed-loop and open-loop events, rows of at most 1000 (default 50000, max 200000)
              --durable B             true: fsync on, as in dev runs (default); false: fsync off, as in tests
              --raw-clients K         pgbench clients of the raw baseline (default 32)
              --pgbench-threads J     pgbench -j (default 2)
              --open-share P          open-loop rate in percent of the closed-loop maximum (default 50)
              --contention-requests R (default 2000)
              --contention-seats S    (default 50)
              --out DIR               where the markdown report goes (default bench/out)
        Experiments (change eu-api from outside, src/ untouched; both are listed in the report):
              --api-env K=V           extra environment variable for eu-api, repeatable, e.g.
                                      --api-env Logging__LogLevel__Default=Warning
              --api-npgsql S          appended to eu-api's ConnectionStrings__postgres, e.g. "Max Auto Prepare=20"
          -h, --help                  this text
        """;

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set when they are invalid or help was asked.</summary>
    public static BenchOptions? Parse(string[] args, out string? error, out bool help)
    {
        var o = ArgReader.Parse(args, new BenchOptions(), static (reader, o) =>
        {
            switch (reader.Current)
            {
                case "-c" or "--concurrency": return o with { Concurrency = reader.Number(1, 1000) };
                case "-d" or "--duration": return o with { DurationSeconds = reader.Number(1, 600) };
                case "-w" or "--warmup": return o with { WarmupSeconds = reader.Number(0, 60) };
                case "-n" or "--seats": return o with { Seats = reader.Number(1, 200_000) };
                case "--pgbench-threads": return o with { PgBenchThreads = reader.Number(1, 64) };
                case "--raw-clients": return o with { RawClients = reader.Number(1, 200) };
                case "--durable": return o with { Durable = reader.Boolean() };
                case "--open-share": return o with { OpenLoopShare = reader.Number(1, 100) / 100.0 };
                case "--contention-requests": return o with { ContentionRequests = reader.Number(1, 100_000) };
                case "--contention-seats": return o with { ContentionSeats = reader.Number(1, 1000) };
                case "--out": return o with { OutputDirectory = reader.Value() };
                case "--api-env":
                    var kv = reader.Value();
                    var eq = kv.IndexOf('=', StringComparison.Ordinal);
                    return eq > 0
                        ? o with { ApiEnvironment = [.. o.ApiEnvironment, new(kv[..eq], kv[(eq + 1)..])] }
                        : throw new FormatException("--api-env: KEY=VALUE");
                case "--api-npgsql": return o with { ApiNpgsql = reader.Value() };
                default: throw new FormatException($"unknown option '{reader.Current}'");
            }
        }, out error, out help);
        return o;
    }
}
