using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Webhooks.Mail;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers (one tenant scope each): turns their outbox into webhook messages and mail jobs, sends
/// due webhook deliveries, and hands due e-mails to the <see cref="IEmailSender"/>.
/// </summary>
public sealed partial class WebhookWorker(
    IMultiTenantStore<ResellerTenantInfo> store,
    IMultiTenantContextAccessor<ResellerTenantInfo> accessor,
    IMultiTenantContextSetter<ResellerTenantInfo> setter,
    ResellerDataSources dataSources,
    IEmailSender emailSender,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    IOptions<CellOptions> cell,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private readonly HttpClient _http = WebhookHttpClient.Create(options.Value, cell.Value.Development);

    /// <summary>When the last full pass over every reseller finished without error.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            var failed = false;
            foreach (var reseller in await store.GetAllAsync())
            {
                using var scope = setter.Use(reseller, accessor);
                using var log = logger.BeginScope(new Dictionary<string, object> { ["reseller"] = reseller.Id, ["cell"] = reseller.Cell });
                try
                {
                    await PassAsync(reseller, stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    failed = true;
                    LogPassFailed(logger, reseller.Id, ex.Message);
                }
            }

            if (!failed)
            {
                LastSuccess = time.GetUtcNow();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private async Task PassAsync(ResellerTenantInfo reseller, CancellationToken ct)
    {
        var db = await dataSources.GetAsync(reseller);
        var o = options.Value;
        var dispatcher = new OutboxDispatcher(db, time);
        int dispatched;
        do
        {
            dispatched = await dispatcher.DispatchAsync(o.BatchSize, ct);
            if (dispatched > 0)
            {
                metrics.Dispatched(reseller.Id, dispatched);
            }
        }
        while (dispatched == o.BatchSize);

        var deliverer = new WebhookDeliverer(db, _http, o, cell.Value.Development, time, metrics, reseller.Id, loggers.CreateLogger<WebhookDeliverer>());
        while (await deliverer.DeliverDueAsync(ct) == o.BatchSize)
        {
        }

        var mail = new MailSender(db, emailSender, o, time, metrics, reseller.Id, loggers.CreateLogger<MailSender>());
        while (await mail.SendDueAsync(ct) == o.BatchSize)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook and mail pass of reseller {Reseller} failed: {Error}")]
    private static partial void LogPassFailed(ILogger logger, string reseller, string error);
}
