using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.Provisioner;

/// <summary>The provisioning jobs of the cell catalog, as the provisioner claims and records them.</summary>
public sealed class ProvisioningJobs(NpgsqlDataSource catalog)
{
    /// <summary>Jobs a stopped provisioner left running go back to pending (one provisioner per cell).</summary>
    public async Task<int> ResetInterruptedAsync(CancellationToken ct)
    {
        await using var cmd = catalog.CreateCommand("UPDATE provisioning_jobs SET state = 'pending' WHERE state = 'running'");
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The oldest pending job, now running; null when there is none.</summary>
    public async Task<ProvisioningJob?> ClaimAsync(CancellationToken ct)
    {
        await using var cmd = catalog.CreateCommand("""
            UPDATE provisioning_jobs SET state = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1
            WHERE id = (SELECT id FROM provisioning_jobs WHERE state = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, reseller_id, kind, request::text, secret_ciphertext, steps::text, attempts
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new ProvisioningJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), JsonNode.Parse(reader.GetString(3))!.AsObject(),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4),
            JsonSerializer.Deserialize<List<ProvisioningStep>>(reader.GetString(5), ProvisioningJson.Options) ?? []);
    }

    /// <summary>How many times the job was claimed.</summary>
    public async Task<int> AttemptsAsync(long id, CancellationToken ct)
    {
        await using var cmd = catalog.CreateCommand("SELECT attempts FROM provisioning_jobs WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Records the job's steps.</summary>
    public async Task SaveStepsAsync(ProvisioningJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var cmd = catalog.CreateCommand("UPDATE provisioning_jobs SET steps = $2::jsonb WHERE id = $1");
        cmd.Parameters.Add(new() { Value = job.Id });
        cmd.Parameters.Add(new() { Value = JsonSerializer.Serialize(job.Steps, ProvisioningJson.Options) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Replaces the job's request (an offboarding keeps the reseller's catalog entry there once it is removed).</summary>
    public async Task SaveRequestAsync(ProvisioningJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var cmd = catalog.CreateCommand("UPDATE provisioning_jobs SET request = $2::jsonb WHERE id = $1");
        cmd.Parameters.Add(new() { Value = job.Id });
        cmd.Parameters.Add(new() { Value = job.Request.ToJsonString() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records where the offboarding export went.</summary>
    public async Task SaveExportAsync(long id, string path, long bytes, string sha256, CancellationToken ct)
    {
        await using var cmd = catalog.CreateCommand("UPDATE provisioning_jobs SET export_path = $2, export_bytes = $3, export_sha256 = $4 WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = path });
        cmd.Parameters.Add(new() { Value = bytes });
        cmd.Parameters.Add(new() { Value = sha256 });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The job is done.</summary>
    public Task CompleteAsync(long id, CancellationToken ct) => EndAsync(id, "completed", null, ct);

    /// <summary>The job failed for good (its reserved hosts are freed; its sealed secret erased).</summary>
    public Task FailAsync(long id, string error, CancellationToken ct) => EndAsync(id, "failed", error, ct);

    /// <summary>The job goes back to pending for another attempt.</summary>
    public async Task RetryLaterAsync(long id, string error, CancellationToken ct)
    {
        await using var cmd = catalog.CreateCommand("UPDATE provisioning_jobs SET state = 'pending', error = $2 WHERE id = $1");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = error });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task EndAsync(long id, string state, string? error, CancellationToken ct)
    {
        await using var batch = catalog.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE provisioning_jobs SET state = $2, error = $3, completed_at = now(), secret_ciphertext = NULL WHERE id = $1
            """)
        {
            Parameters = { new() { Value = id }, new() { Value = state }, new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM reserved_hosts WHERE job_id = $1") { Parameters = { new() { Value = id } } });
        await batch.ExecuteNonQueryAsync(ct);
    }
}
