using System.Diagnostics;
using Npgsql;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// The baseline every hold number is compared with: a minimal seat claim run by pgbench on the run's own Postgres server,
/// in a database of its own (<see cref="Database"/>) with a table of <see cref="Rows"/> seats:
/// <c>UPDATE seats SET status = 1, held_until = now() + interval '10 min' WHERE id = :random_id AND (status = 0 OR held_until &lt; now())</c>
/// (script <c>raw-claim.pgbench</c>), one transaction per claim, synchronous commit as the server has it.
/// </summary>
public static class RawClaim
{
    /// <summary>The baseline's database, next to the resellers' on the same server.</summary>
    public const string Database = "holdbench_raw";

    /// <summary>Seats in the baseline's table.</summary>
    public const int Rows = 2_000_000;

    /// <summary>The pgbench script, copied next to the bench's binary.</summary>
    public static string Script => Path.Combine(AppContext.BaseDirectory, "raw-claim.pgbench");

    /// <summary>Creates (again) the baseline's database and its table of <see cref="Rows"/> free seats, analyzed and checkpointed.</summary>
    public static async Task PrepareAsync(string serverConnectionString, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync(ct);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", conn);
            await drop.ExecuteNonQueryAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", conn);
            await create.ExecuteNonQueryAsync(ct);
        }

        var raw = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = Database, Pooling = false, CommandTimeout = 600 }.ConnectionString;
        await using (var conn = new NpgsqlConnection(raw))
        {
            await conn.OpenAsync(ct);
            foreach (var sql in new[]
            {
                "CREATE TABLE seats (id bigint PRIMARY KEY, status smallint NOT NULL DEFAULT 0, held_until timestamptz)",
                $"INSERT INTO seats (id) SELECT g FROM generate_series(1, {Rows}) g",
                "VACUUM ANALYZE seats",
                "CHECKPOINT",
            })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }

        BenchRun.Progress($"raw baseline: database {Database}, {Rows:N0} seats, analyzed and checkpointed in {started.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The pgbench run of the baseline.</summary>
    public static PgBenchRun Run(string host, int port, string? password, int clients, int threads, int seconds) =>
        new("raw claim", host, port, Database, Script, clients, threads, seconds, "prepared", [], password);

    /// <summary>Seats the baseline's runs claimed so far (status 1).</summary>
    public static async Task<long> ClaimedAsync(string serverConnectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = Database, Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM seats WHERE status = 1", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
