using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Tenancy.Catalog;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.Api.Infrastructure.Onboarding;

/// <summary>
/// The API's side of provisioning: it writes jobs into the cell catalog (as the catalog's own role; no superuser here)
/// for the cell's provisioner to carry out, and reads their progress. An onboarding's integrator secret is generated
/// here, returned to the operator once and handed to the provisioner sealed with the cell's onboarding key.
/// </summary>
public sealed class ProvisioningRequests(CatalogDataSource catalog, IOptions<ResellerStorageOptions> storage)
{
    private const string UniqueViolation = "23505";

    /// <summary>Asks for <paramref name="registration"/> (validated, normalized) to be onboarded.</summary>
    public async Task<OnboardingStart> OnboardAsync(ResellerRegistration registration, string requestedBy, CancellationToken ct)
    {
        await using var conn = await catalog.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var start = await OnboardAsync(conn, tx, registration, requestedBy, ct);
        if (start.JobId is not null)
        {
            await tx.CommitAsync(ct);
        }

        return start;
    }

    /// <summary>As <see cref="OnboardAsync(ResellerRegistration, string, CancellationToken)"/>, inside the caller's transaction.</summary>
    public async Task<OnboardingStart> OnboardAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ResellerRegistration registration, string requestedBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var key = storage.Value.OnboardingKey;
        if (string.IsNullOrEmpty(key))
        {
            return OnboardingStart.Refused("onboarding.unavailable", "This cell has no onboarding key configured (ResellerStorageOptions:OnboardingKey).");
        }

        var id = registration.Id!;
        var hosts = (registration.Hosts ?? []).ToArray();
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM resellers WHERE id = $1)", conn, tx))
        {
            exists.Parameters.Add(new() { Value = id });
            if ((bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return OnboardingStart.Refused("reseller.exists", $"Reseller '{id}' already exists in this cell.");
            }
        }

        await using (var taken = new NpgsqlCommand("""
            SELECT host FROM reseller_hosts WHERE host = ANY($1) UNION SELECT host FROM reserved_hosts WHERE host = ANY($1) ORDER BY 1
            """, conn, tx))
        {
            taken.Parameters.Add(new() { Value = hosts });
            var used = new List<string>();
            await using (var reader = await taken.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    used.Add(reader.GetString(0));
                }
            }

            if (used.Count > 0)
            {
                return OnboardingStart.Refused("host.taken", $"Host(s) {string.Join(", ", used)} already serve(s) a reseller of this cell.");
            }
        }

        var secret = ResellerSecrets.NewClientSecret();
        long jobId;
        await using (var savepoint = new NpgsqlCommand("SAVEPOINT onboard", conn, tx))
        {
            await savepoint.ExecuteNonQueryAsync(ct);
        }

        try
        {
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO provisioning_jobs (reseller_id, kind, request, secret_ciphertext, requested_by)
                VALUES ($1, 'onboard', $2::jsonb, $3, $4) RETURNING id
                """, conn, tx))
            {
                insert.Parameters.Add(new() { Value = id });
                insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(registration, ProvisioningJson.Options) });
                insert.Parameters.Add(new() { Value = ResellerSecrets.Seal(key, secret, ResellerSecrets.IntegratorSecretContext(id)) });
                insert.Parameters.Add(new() { Value = requestedBy });
                jobId = (long)(await insert.ExecuteScalarAsync(ct))!;
            }

            await using var reserve = new NpgsqlCommand("INSERT INTO reserved_hosts (host, job_id) SELECT h, $2 FROM unnest($1::text[]) AS h", conn, tx);
            reserve.Parameters.Add(new() { Value = hosts });
            reserve.Parameters.Add(new() { Value = jobId });
            await reserve.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT onboard", conn, tx);
            await rollback.ExecuteNonQueryAsync(ct);
            return ex.ConstraintName == "provisioning_jobs_one_active"
                ? OnboardingStart.Refused("provisioning.in_progress", $"An onboarding or offboarding of '{id}' is in progress.")
                : OnboardingStart.Refused("host.taken", "A host is being claimed by another onboarding in progress.");
        }

        return new OnboardingStart(jobId, secret);
    }

    /// <summary>Asks for reseller <paramref name="id"/> (one onboarded at run time) to be offboarded.</summary>
    public async Task<OnboardingStart> OffboardAsync(string id, string requestedBy, CancellationToken ct)
    {
        await using var conn = await catalog.DataSource.OpenConnectionAsync(ct);
        await using (var origin = new NpgsqlCommand("SELECT origin FROM resellers WHERE id = $1", conn))
        {
            origin.Parameters.Add(new() { Value = id });
            switch (await origin.ExecuteScalarAsync(ct))
            {
                case null:
                    return OnboardingStart.Refused("reseller.not_found", $"No reseller '{id}' in this cell.");
                case "cell_file":
                    return OnboardingStart.Refused("reseller.in_cell_file",
                        $"'{id}' is listed in the cell file: remove it there (and export its data) instead.");
            }
        }

        try
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO provisioning_jobs (reseller_id, kind, request, requested_by) VALUES ($1, 'offboard', '{}'::jsonb, $2) RETURNING id
                """, conn);
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = requestedBy });
            return new OnboardingStart((long)(await insert.ExecuteScalarAsync(ct))!, null);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            return OnboardingStart.Refused("provisioning.in_progress", $"An onboarding or offboarding of '{id}' is in progress.");
        }
    }

    /// <summary>The latest job of reseller <paramref name="id"/>; null when it never had one.</summary>
    public async Task<ProvisioningStatus?> LatestAsync(string id, CancellationToken ct)
    {
        await using var cmd = catalog.DataSource.CreateCommand("""
            SELECT id, reseller_id, kind, state, steps::text, error, requested_by, requested_at, started_at, completed_at,
                   export_path, export_bytes, export_sha256
            FROM provisioning_jobs WHERE reseller_id = $1 ORDER BY id DESC LIMIT 1
            """);
        cmd.Parameters.Add(new() { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
        var requested = reader.GetFieldValue<DateTimeOffset>(7);
        var completed = At(9);
        return new ProvisioningStatus(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            JsonSerializer.Deserialize<List<ProvisioningStep>>(reader.GetString(4), ProvisioningJson.Options) ?? [],
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), requested, At(8), completed,
            completed is { } end ? (long)(end - requested).TotalMilliseconds : null,
            reader.IsDBNull(10) ? null : new ExportInfo(reader.GetString(10), reader.GetInt64(11), reader.GetString(12)));
    }
}

/// <summary>An onboarding's or offboarding's progress.</summary>
public sealed record ProvisioningStatus(
    long JobId, string ResellerId, string Kind, string State, IReadOnlyList<ProvisioningStep> Steps, string? Error, string RequestedBy,
    DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, long? ElapsedMs, ExportInfo? Export);

/// <summary>Where an offboarded reseller's data went.</summary>
public sealed record ExportInfo(string Path, long Bytes, string Sha256);
