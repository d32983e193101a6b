using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Migrator;
using TicketAspire.Tenancy;

namespace TicketAspire.Provisioner;

/// <summary>
/// Offboards one reseller onboarded at run time: takes it out of the catalog (its hosts answer 404 within the services'
/// 2 s catalog check, its issuer too), waits for requests in flight, exports its database (<c>pg_dump</c>) and its catalog
/// entry (billing included) to the export directory, then drops its database and login role and stops its Redis server.
/// Every step can be repeated: the reseller's catalog entry is kept in the job once removed.
/// </summary>
public sealed class Offboarding(
    CellDatabases cell,
    RedisServers redis,
    StepRunner steps,
    ProvisioningJobs jobs,
    DatabaseExport export,
    IOptions<CellOptions> cellOptions,
    IOptions<ProvisionerOptions> options,
    TimeProvider time)
{
    /// <summary>Runs the job's steps.</summary>
    public async Task RunAsync(ProvisioningJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        var id = job.ResellerId;
        var database = ResellerTenantInfo.DatabaseNameFor(id);

        await steps.RunAsync(job, "suspend", async t =>
        {
            if (await SnapshotAsync(id, t) is { } entry)
            {
                if ((string?)entry["origin"] != "onboarded")
                {
                    throw new InvalidOperationException($"'{id}' is listed in the cell file: remove it there instead.");
                }

                job.Request["reseller"] = entry;
                await jobs.SaveRequestAsync(job, t);
                await using var delete = cell.Catalog.CreateCommand("DELETE FROM resellers WHERE id = $1");
                delete.Parameters.Add(new() { Value = id });
                await delete.ExecuteNonQueryAsync(t);
                return "removed from the catalog: its hosts and issuer are no longer served";
            }

            return job.Request["reseller"] is null ? throw new InvalidOperationException($"No reseller '{id}' in the catalog.") : "removed before";
        }, ct);

        await steps.RunAsync(job, "drain", async t =>
        {
            await Task.Delay(options.Value.DrainDelay, time, t);
            return $"waited {options.Value.DrainDelay.TotalSeconds:F0} s for the services to re-read the catalog";
        }, ct);

        await steps.RunAsync(job, "export", async t =>
        {
            if (!await ResellerDatabase.ExistsAsync(cell.ServerDb, database, t))
            {
                return "no database left to export (exported by an earlier attempt)";
            }

            var dir = export.Directory();
            var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var path = Path.Combine(dir, $"{cellOptions.Value.Id}-{id}-{stamp}.dump");
            var (bytes, sha) = await export.DumpAsync(cell.Server, database, path, t);
            var catalogFile = Path.ChangeExtension(path, ".catalog.json");
            await File.WriteAllTextAsync(catalogFile, job.Request["reseller"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), t);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(catalogFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await jobs.SaveExportAsync(job.Id, path, bytes, sha, t);
            return $"{path} ({bytes} bytes, sha256 {sha[..16]}…) and {Path.GetFileName(catalogFile)}";
        }, ct);

        await steps.RunAsync(job, "database", async t =>
        {
            await ResellerDatabase.DropAsync(cell.ServerDb, database, t);
            return $"{database} and its login role dropped";
        }, ct);

        await steps.RunAsync(job, "redis", async _ =>
        {
            var wasRunning = redis.IsRunning(id);
            await redis.StopAsync(id);
            return wasRunning ? "server stopped" : "no server running";
        }, ct);
    }

    /// <summary>The reseller's catalog entry (hosts, billing) as JSON; null when it is not in the catalog.</summary>
    private async Task<JsonObject?> SnapshotAsync(string id, CancellationToken ct)
    {
        await using var cmd = cell.Catalog.CreateCommand("""
            SELECT json_build_object(
                'id', r.id, 'name', r.name, 'cell', r.cell, 'origin', r.origin, 'database_name', r.database_name,
                'redis_endpoint', r.redis_endpoint, 'created_at', r.created_at,
                'hosts', (SELECT coalesce(json_agg(h.host ORDER BY h.host), '[]') FROM reseller_hosts h WHERE h.reseller_id = r.id),
                'billing', (SELECT row_to_json(b) FROM reseller_billing b WHERE b.reseller_id = r.id),
                'rules', (SELECT row_to_json(x) FROM reseller_rules x WHERE x.reseller_id = r.id))::text
            FROM resellers r WHERE r.id = $1
            """);
        cmd.Parameters.Add(new() { Value = id });
        return await cmd.ExecuteScalarAsync(ct) is string json ? JsonNode.Parse(json)!.AsObject() : null;
    }
}
