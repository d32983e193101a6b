using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Command-line options of the hold benchmark.</summary>
public sealed record BenchOptions
{
    public int Seats { get; init; } = 100_000;

    public int Concurrency { get; init; } = 64;

    public int DurationSeconds { get; init; } = 10;

    public int WarmupSeconds { get; init; } = 2;

    public bool Durable { get; init; } = true;

    public string PgBenchMode { get; init; } = "prepared";

    /// <summary>Also run the diagnostic pgbench variants (direct port, extended protocol, metadata + claim).</summary>
    public bool Breakdown { get; init; } = true;

    public int PgBenchThreads { get; init; } = 2;

    public string? OutputDirectory { get; init; }

    /// <summary>Extra environment of eu-api (experiments: log level, pool size, OpenTelemetry).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ApiEnvironment { get; init; } = [];

    /// <summary>Appended to eu-api's ConnectionStrings__postgres (e.g. <c>Max Auto Prepare=20</c>).</summary>
    public string? ApiNpgsql { get; init; }

    public const string Usage = """
        HoldBench: HTTP hold throughput of the real AppHost versus the same seat claim run raw by pgbench.

        Boots AppHost (cell eu only, throw-away data dir under /tmp), creates reserved-seating events of --seats seats for
        reseller acme, runs C HTTP workers for D seconds (POST /v1/holds, one distinct seat each), then pgbench with the same
        claim statement (bench/HoldBench/claim-reserved.pgbench) on the same Postgres, verifies the database and prints a
        markdown report (also written to bench/out/holds-<timestamp>.md).

        Usage: bench/run-holds.sh [options]      (builds Release, then runs; about 100 s with the defaults on 2 cores)

        Phases, each D seconds, one fresh event each: HTTP; pgbench "claim" (via DCP's proxy port, -M prepared: the raw
        number of the ratio). With the breakdown (default) also: "claim, no proxy" (postgres's own port: proxy cost),
        "claim, -M extended" (unprepared, as Npgsql sends it: planning cost), "metadata + claim, -M extended" (the API's
        two statements: round-trip cost). CPU per process group is measured for every phase.

        Options:
          -c, --concurrency C     HTTP workers and pgbench clients (default 64)
          -d, --duration D        seconds of each measured phase (default 10)
          -w, --warmup W          seconds of HTTP warm-up on other seats, not counted (default 2)
          -n, --seats N           seats per event, rows of at most 1000 (default 100000, max 200000)
              --durable B         true: fsync on, as in dev runs (default); false: fsync off, as in tests
              --pgbench-mode M    prepared (default) or extended (unprepared, what Npgsql sends by default)
              --pgbench-threads J pgbench -j (default 2)
              --no-breakdown      only the main pgbench run (skip direct-port, extended and metadata+claim variants)
              --out DIR           where the markdown report goes (default bench/out)
        Experiments (change eu-api from outside, src/ untouched; both are listed in the report):
              --api-env K=V       extra environment variable for eu-api, repeatable, e.g.
                                  --api-env Logging__LogLevel__Default=Warning
                                  --api-env ResellerStorageOptions__MaxPoolSizePerReseller=64
              --api-npgsql S      appended to eu-api's ConnectionStrings__postgres, e.g. "Max Auto Prepare=20"
          -h, --help              this text
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
                case "--durable": return o with { Durable = reader.Boolean() };
                case "--pgbench-mode":
                    var mode = reader.Value();
                    return mode is "prepared" or "extended" ? o with { PgBenchMode = mode } : throw new FormatException("--pgbench-mode: prepared or extended");
                case "--no-breakdown": return o with { Breakdown = false };
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
