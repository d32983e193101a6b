using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>
/// A real, throw-away PostgreSQL server run as a child process for one test collection: initdb into a fresh directory
/// under /tmp, postmaster on a free loopback port, fast shutdown and directory removal at the end. Postgres refuses to
/// run as root, so as root (here and in CI) both run as the <c>postgres</c> OS user through <c>setpriv</c>, as
/// shared/examples/aspire-without-containers/scripts/run-postgres.sh does.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly StringBuilder _log = new();
    private Process? _postmaster;
    private NpgsqlDataSource? _server;
    private int _databases;

    /// <summary>The data directory (also the unix socket directory).</summary>
    public string DataDirectory { get; } = Path.Combine("/tmp", $"ta-test-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; } = FreePort.Next();

    /// <summary>Connection string of the maintenance database <c>postgres</c>.</summary>
    public string ConnectionString => ConnectionStringFor("postgres", maxPoolSize: 10);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var bin = FindBinDirectory();
        Directory.CreateDirectory(DataDirectory);
        if (Environment.IsPrivilegedProcess)
        {
            await RunToEndAsync("chown", ["postgres:postgres", DataDirectory]);
        }

        await RunToEndAsync(Path.Combine(bin, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asPostgres: true);

        _postmaster = Start(Path.Combine(bin, "postgres"),
            ["-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={DataDirectory}",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"],
            asPostgres: true);
        _server = NpgsqlDataSource.Create(ConnectionString);
        await WaitUntilReadyAsync(_server);
    }

    /// <summary>
    /// Creates a fresh database named after <paramref name="name"/> (lower-cased, with a sequence number so every call
    /// gets its own database) and applies the inventory migrations to it.
    /// </summary>
    public async Task<NpgsqlDataSource> CreateDatabaseAsync(string name, int maxPoolSize = 200)
    {
        var server = _server ?? throw new InvalidOperationException("The server is not started.");
        var prefix = NotIdentifierChars().Replace(name.ToLowerInvariant(), "_");
        var database = $"{prefix[..Math.Min(prefix.Length, 50)]}_{Interlocked.Increment(ref _databases)}";
        if (!await SqlMigrator.EnsureDatabaseAsync(server, database, CancellationToken.None))
        {
            throw new InvalidOperationException($"Database '{database}' already exists.");
        }

        var db = NpgsqlDataSource.Create(ConnectionStringFor(database, maxPoolSize));
        await SqlMigrator.MigrateAsync(db, SqlMigrator.InventoryMigrations, CancellationToken.None);
        return db;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_postmaster is { HasExited: false } postmaster)
        {
            // SIGINT is postgres' fast shutdown (SIGTERM would wait for clients); kill only if that hangs.
            await RunToEndAsync("kill", ["-INT", postmaster.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var stop = new CancellationTokenSource(StopTimeout);
            try
            {
                await postmaster.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                postmaster.Kill(entireProcessTree: true);
                await postmaster.WaitForExitAsync();
            }
        }

        _postmaster?.Dispose();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private string ConnectionStringFor(string database, int maxPoolSize) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        MaxPoolSize = maxPoolSize,
        Timeout = 60,
        CommandTimeout = 60,
        IncludeErrorDetail = true,
    }.ConnectionString;

    private async Task WaitUntilReadyAsync(NpgsqlDataSource server)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var conn = await server.OpenConnectionAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < StartTimeout && _postmaster is { HasExited: false })
            {
                await Task.Delay(100);
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException($"PostgreSQL did not start on port {Port}:\n{Log()}", ex);
            }
        }
    }

    private Process Start(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/tmp",
        };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            // setpriv and env exec, so the process we start *is* the postmaster (and receives our SIGINT).
            info.FileName = "setpriv";
            foreach (var a in (string[])["--reuid=postgres", "--regid=postgres", "--init-groups", "--", "env", "HOME=/var/lib/postgresql", file])
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info.FileName = file;
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task RunToEndAsync(string file, IReadOnlyList<string> args, bool asPostgres = false)
    {
        using var process = Start(file, args, asPostgres);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}:\n{Log()}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 64 * 1024)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    /// <summary>Where initdb and postgres live: $PG_BIN, then initdb on PATH (symlinks resolved), then /usr/lib/postgresql/N/bin.</summary>
    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "initdb");
            if (File.Exists(candidate))
            {
                var target = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
                return Path.GetDirectoryName(target)!;
            }
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL binaries not found: put initdb on PATH, set PG_BIN, or apt-get install postgresql-15.");
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NotIdentifierChars();
}
