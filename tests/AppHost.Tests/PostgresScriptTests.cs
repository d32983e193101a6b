using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// <c>scripts/run-postgres.sh</c> on a data directory of an older version (trust auth, a superuser without a password):
/// after the next start every connection needs the password, and the password it was given works.
/// </summary>
public sealed class PostgresScriptTests : IDisposable
{
    // under /var/tmp: when the tests run as root the script drops to the postgres OS user, who must reach the directory
    private readonly string _root = Path.Combine("/var/tmp", "ta-pgs-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_data_directory_made_with_trust_auth_needs_passwords_after_the_next_start()
    {
        Directory.CreateDirectory(_root);
        var data = Path.Combine(_root, "data");
        await RunAsync(data, "first-password-1", async port => await QueryAsync(port, "first-password-1"));

        // what an older version left behind: trust for every connection, and a superuser without a password
        File.WriteAllText(Path.Combine(data, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        await RunAsync(data, "second-password-2", async port =>
        {
            await QueryAsync(port, "second-password-2");
            var none = await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryAsync(port, null));
            Assert.Contains("password", none.Message, StringComparison.OrdinalIgnoreCase);
            var old = await Assert.ThrowsAsync<PostgresException>(() => QueryAsync(port, "first-password-1"));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, old.SqlState);
        });
        Assert.DoesNotContain("trust", File.ReadAllLines(Path.Combine(data, "pg_hba.conf")).Where(l => !l.StartsWith('#')));
    }

    /// <summary>Runs the script on <paramref name="data"/> with a superuser password, calls <paramref name="use"/>, stops it.</summary>
    private static async Task RunAsync(string data, string password, Func<int, Task> use)
    {
        var port = FreePort();
        var script = Path.Combine(RepoRoot(), "scripts", "run-postgres.sh");
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(data);
        psi.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.Environment["PG_SUPERUSER_PASSWORD"] = password;
        psi.Environment["PG_DURABLE"] = "false";
        using var process = Process.Start(psi)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!output.Any(l => l.Contains("ready to accept connections", StringComparison.Ordinal)))
            {
                Assert.False(process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60), "postgres did not start:\n" + string.Join("\n", output));
                await Task.Delay(100);
            }

            await use(port);
        }
        finally
        {
            // the script turns TERM into a fast shutdown
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private static async Task QueryAsync(int port, string? password)
    {
        var cs = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Password = password, Database = "postgres", Pooling = false, Timeout = 5 };
        await using var conn = new NpgsqlConnection(cs.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TicketAspire.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
