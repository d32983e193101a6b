using Microsoft.Extensions.Options;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Webhooks.Mail;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Worker;

/// <summary>
/// Loops over the cell's resellers (one tenant scope each): turns their outbox into webhook messages and mail jobs, sends
/// due webhook deliveries, and hands due e-mails to the <see cref="IEmailSender"/>.
/// </summary>
public sealed class WebhookWorker(
    ResellerLoopContext loop,
    ResellerDataSources dataSources,
    IEmailSender emailSender,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    IOptions<CellOptions> cell,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<WebhookWorker> logger) : ResellerLoop(loop, logger)
{
    private readonly HttpClient _http = WebhookHttpClient.Create(options.Value, cell.Value.Development);

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override string Work => "Webhook and mail pass";

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task RunResellerAsync(ResellerTenantInfo reseller, CancellationToken ct)
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
}
