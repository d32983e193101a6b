using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TicketAspire.Provisioner;

/// <summary>
/// A reseller database's complete export before it is dropped: <c>pg_dump</c> in its custom format (restorable with
/// <c>pg_restore</c>, schema and data, every table), written as the superuser to the export directory (0700, files 0600).
/// In production the file would go to the jurisdiction's object storage with a retention policy.
/// </summary>
public sealed class DatabaseExport(IOptions<ProvisionerOptions> options)
{
    /// <summary>Dumps <paramref name="database"/> into <paramref name="path"/>; returns its size and SHA-256 (hex).</summary>
    public async Task<(long Bytes, string Sha256)> DumpAsync(string server, string database, string path, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(server);
        var info = new ProcessStartInfo(PgDump()) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--format=custom", "--no-owner", "--no-privileges", "--file", path, database })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PGHOST"] = cs.Host ?? "127.0.0.1";
        info.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["PGUSER"] = cs.Username ?? "postgres";
        info.Environment["PGPASSWORD"] = cs.Password ?? "";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("pg_dump did not start.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump of {database} failed ({process.ExitCode}): {(await stderr).Trim()}");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file, ct);
        return (file.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>The export directory, created readable by this user only.</summary>
    public string Directory()
    {
        var dir = options.Value.ExportDirectory;
        if (string.IsNullOrWhiteSpace(dir))
        {
            throw new InvalidOperationException("Provisioner:ExportDirectory is not configured.");
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(dir);
        }
        else
        {
            System.IO.Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return dir;
    }

    private string PgDump()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PgDump))
        {
            return options.Value.PgDump;
        }

        // the server's own major version first (what run-postgres.sh starts), then whatever PATH has
        var versioned = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return versioned ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pg_dump")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pg_dump not found (install PostgreSQL's client programs or set Provisioner:PgDump).");
    }
}
