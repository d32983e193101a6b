using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketAspire.Tenancy.Catalog;

/// <summary>
/// Loads the catalog before the service takes traffic, then checks every <see cref="ChangeCheckInterval"/> whether it
/// changed (a reseller onboarded or offboarded, hosts changed: one single-row read) and reloads it when it did, and at
/// least every <see cref="Interval"/>.
/// </summary>
public sealed partial class CatalogRefreshService(CatalogStore store, TimeProvider time, ILogger<CatalogRefreshService> logger)
    : BackgroundService
{
    /// <summary>How often the catalog is re-read even when its version did not move.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>How often the catalog's version is compared (how long a new reseller waits at most to be served).</summary>
    public static readonly TimeSpan ChangeCheckInterval = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first load gates start-up: a service that knows no reseller would answer 404 to everyone.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.RefreshAsync(cancellationToken);
                LogLoaded(logger, (await store.GetAllAsync()).Count);
                break;
            }
            catch (Exception ex) when (attempt < 30 && ex is Npgsql.NpgsqlException or TimeoutException)
            {
                LogRetry(logger, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }

        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ChangeCheckInterval, time);
        var lastFull = time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (time.GetElapsedTime(lastFull) >= Interval)
                {
                    await store.RefreshAsync(stoppingToken);
                    lastFull = time.GetTimestamp();
                }
                else if (await store.RefreshIfChangedAsync(stoppingToken))
                {
                    LogChanged(logger, (await store.GetAllAsync()).Count);
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                LogRefreshFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog loaded: {Count} resellers")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog changed: {Count} resellers")]
    private static partial void LogChanged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog not reachable yet (attempt {Attempt}): {Error}")]
    private static partial void LogRetry(ILogger logger, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog refresh failed, keeping the last snapshot: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
