using Microsoft.Extensions.Options;
using Npgsql;

namespace TicketAspire.Provisioner;

/// <summary>
/// Works off the catalog's provisioning jobs one at a time (polling every <see cref="ProvisionerOptions.PollInterval"/>).
/// At start it gives every onboarded reseller its Redis server again and resumes jobs a stopped provisioner left running.
/// A job that fails is tried again (every step can be repeated) up to <see cref="ProvisionerOptions.MaxAttempts"/> times.
/// </summary>
public sealed partial class ProvisioningWorker(
    IServiceProvider services,
    CellDatabases cell,
    ProvisioningJobs jobs,
    RedisServers redis,
    IOptions<ProvisionerOptions> options,
    TimeProvider time,
    ILogger<ProvisioningWorker> logger) : BackgroundService
{
    /// <summary>True once the onboarded resellers' Redis servers run again after a start.</summary>
    public bool IsReady { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForCatalogAsync(stoppingToken);
        await RestoreRedisServersAsync(stoppingToken);
        var resumed = await jobs.ResetInterruptedAsync(stoppingToken);
        if (resumed > 0)
        {
            LogResumed(logger, resumed);
        }

        IsReady = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            ProvisioningJob? job = null;
            try
            {
                job = await jobs.ClaimAsync(stoppingToken);
                if (job is null)
                {
                    await Task.Delay(options.Value.PollInterval, time, stoppingToken);
                    continue;
                }

                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException ex) when (job is null)
            {
                LogCatalogUnavailable(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task RunAsync(ProvisioningJob job, CancellationToken ct)
    {
        LogStarting(logger, job.Kind, job.ResellerId, job.Id);
        var started = time.GetTimestamp();
        try
        {
            await using var scope = services.CreateAsyncScope();
            if (job.Kind == "onboard")
            {
                await scope.ServiceProvider.GetRequiredService<Onboarding>().RunAsync(job, ct);
            }
            else
            {
                await scope.ServiceProvider.GetRequiredService<Offboarding>().RunAsync(job, ct);
            }

            await jobs.CompleteAsync(job.Id, CancellationToken.None);
            LogCompleted(logger, job.Kind, job.ResellerId, job.Id, (long)time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var attempts = await jobs.AttemptsAsync(job.Id, CancellationToken.None);
            if (attempts < options.Value.MaxAttempts)
            {
                LogRetrying(logger, ex, job.Kind, job.ResellerId, job.Id, attempts);
                await jobs.RetryLaterAsync(job.Id, ex.Message, CancellationToken.None);
                await Task.Delay(TimeSpan.FromSeconds(2 * attempts), time, ct);
            }
            else
            {
                LogFailed(logger, ex, job.Kind, job.ResellerId, job.Id, attempts);
                await jobs.FailAsync(job.Id, ex.Message, CancellationToken.None);
            }
        }
    }

    private async Task WaitForCatalogAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var cmd = cell.Catalog.CreateCommand("SELECT count(*) FROM provisioning_jobs");
                await cmd.ExecuteScalarAsync(ct);
                return;
            }
            catch (NpgsqlException ex) when (attempt < 60)
            {
                LogCatalogUnavailable(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            }
        }
    }

    /// <summary>Every onboarded reseller gets its Redis server again, on its recorded port when free (else the catalog learns the new one).</summary>
    private async Task RestoreRedisServersAsync(CancellationToken ct)
    {
        var resellers = new List<(string Id, string? Endpoint)>();
        await using (var cmd = cell.Catalog.CreateCommand("SELECT id, redis_endpoint FROM resellers WHERE origin = 'onboarded' ORDER BY id"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                resellers.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        foreach (var (id, recorded) in resellers)
        {
            int? port = recorded is not null && int.TryParse(recorded[(recorded.LastIndexOf(':') + 1)..], out var p) ? p : null;
            try
            {
                var endpoint = await redis.StartAsync(id, port, ct);
                if (endpoint != recorded)
                {
                    await using var update = cell.Catalog.CreateCommand("UPDATE resellers SET redis_endpoint = $2, updated_at = now() WHERE id = $1");
                    update.Parameters.Add(new() { Value = id });
                    update.Parameters.Add(new() { Value = endpoint });
                    await update.ExecuteNonQueryAsync(ct);
                }
            }
            catch (InvalidOperationException ex)
            {
                // its traffic goes on without Redis (slower, uncached); the next start tries again
                LogRestoreFailed(logger, id, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Reseller} (job {Job}): starting")]
    private static partial void LogStarting(ILogger logger, string kind, string reseller, long job);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Reseller} (job {Job}): completed in {Elapsed} ms")]
    private static partial void LogCompleted(ILogger logger, string kind, string reseller, long job, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Reseller} (job {Job}): attempt {Attempt} failed, trying again")]
    private static partial void LogRetrying(ILogger logger, Exception ex, string kind, string reseller, long job, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} {Reseller} (job {Job}): failed after {Attempts} attempts")]
    private static partial void LogFailed(ILogger logger, Exception ex, string kind, string reseller, long job, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} interrupted job(s) resumed")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "catalog not reachable: {Error}")]
    private static partial void LogCatalogUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reseller}: its Redis server did not start again: {Error}")]
    private static partial void LogRestoreFailed(ILogger logger, string reseller, string error);
}
