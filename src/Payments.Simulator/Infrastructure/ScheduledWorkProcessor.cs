using Microsoft.Extensions.Options;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// Runs due <c>scheduled_work</c> (processing outcomes, disputes, fraud warnings). The work lives in storage, so what was
/// due while the process was down happens after the restart.
/// </summary>
public sealed class ScheduledWorkProcessor(PaymentStore store, TimeProvider time, IOptions<PspOptions> options, ILogger<ScheduledWorkProcessor> logger)
    : BackgroundService
{
    private async Task<List<ScheduledWork>> DueWorkAsync()
    {
        try
        {
            return await store.DueWorkAsync(50);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            Log.ScanFailed(logger, ex, "scheduled work");
            return [];
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var work in await DueWorkAsync())
            {
                try
                {
                    await store.RunWorkAsync(work);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // left undone: the next scan tries again
                    Log.WorkFailed(logger, ex, work.Id, work.Kind, work.PaymentIntent);
                }
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
