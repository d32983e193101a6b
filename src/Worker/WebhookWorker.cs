using Microsoft.Extensions.Options;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Webhooks.Mail;
using TicketAspire.Webhooks.Services;
using TicketAspire.Inventory.CheckIn;

namespace TicketAspire.Worker;

/// <summary>
/// Runs one <see cref="ResellerWebhookPump"/> per reseller of the cell, each in that reseller's tenant scope and
/// independent of the others: a reseller whose endpoints hang (or whose database is down) delays no other reseller's
/// webhooks or e-mails. Every <see cref="WebhookOptions.PollInterval"/> it starts pumps for resellers that appeared (or
/// whose pump stopped) and stops those of resellers that left.
/// </summary>
public sealed partial class WebhookWorker(
    ResellerLoopContext loop,
    ResellerDataSources dataSources,
    IEmailSender emailSender,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    IOptions<CellOptions> cell,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<WebhookWorker> logger,
    TicketSigner? signer = null) : BackgroundService
{
    private readonly HttpClient _http = WebhookHttpClient.Create(options.Value, cell.Value.Development);
    private readonly Dictionary<string, Running> _pumps = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastRefresh;

    /// <summary>
    /// When every reseller's pump last completed a pass of each of its loops (the oldest of them); with no resellers, when
    /// the reseller list was last read. Null until then.
    /// </summary>
    public DateTimeOffset? LastSuccess
    {
        get
        {
            lock (_pumps)
            {
                if (_pumps.Count == 0)
                {
                    return _lastRefresh;
                }

                var passes = _pumps.Values.Select(p => p.Pump.LastPass).ToList();
                return passes.Any(p => p is null) ? null : passes.Min();
            }
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        try
        {
            do
            {
                var resellers = await loop.Store.GetAllAsync();
                lock (_pumps)
                {
                    foreach (var reseller in resellers.Where(r => !_pumps.TryGetValue(r.Id, out var p) || p.Task.IsCompleted))
                    {
                        _pumps.GetValueOrDefault(reseller.Id)?.Stop.Dispose();
                        _pumps[reseller.Id] = Start(reseller, stoppingToken);
                    }

                    foreach (var gone in _pumps.Keys.Except(resellers.Select(r => r.Id)).ToList())
                    {
                        var stopping = _pumps[gone];
                        _pumps.Remove(gone);
                        stopping.Stop.Cancel();
                        _ = stopping.Task.ContinueWith(_ => stopping.Stop.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    }

                    _lastRefresh = time.GetUtcNow();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            List<Running> running;
            lock (_pumps)
            {
                running = [.. _pumps.Values];
                _pumps.Clear();
            }

            await Task.WhenAll(running.Select(r => r.Task));
            running.ForEach(r => r.Stop.Dispose());
        }
    }

    private Running Start(ResellerTenantInfo reseller, CancellationToken stoppingToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var pump = new ResellerWebhookPump(reseller.Id, _ => dataSources.GetAsync(reseller), _http, emailSender, options.Value,
            cell.Value.Development, time, metrics, loggers, signer);
        // the pump's tasks inherit the reseller's tenant scope and log scope from here
        using var scope = loop.Setter.Use(reseller, loop.Accessor);
        using var log = logger.BeginScope(new Dictionary<string, object> { ["reseller"] = reseller.Id, ["cell"] = reseller.Cell });
        var task = Task.Run(async () =>
        {
            try
            {
                await pump.RunAsync(stop.Token);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                LogPumpStopped(logger, reseller.Id, ex.Message);   // started again on the next refresh
            }
        }, CancellationToken.None);
        return new Running(pump, task, stop);
    }

    private sealed record Running(ResellerWebhookPump Pump, Task Task, CancellationTokenSource Stop);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook pump of reseller {Reseller} stopped: {Error}")]
    private static partial void LogPumpStopped(ILogger logger, string reseller, string error);
}
