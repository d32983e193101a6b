using TicketAspire.Inventory.CheckIn;
using Microsoft.Extensions.Logging;
using Npgsql;
using TicketAspire.Webhooks.Mail;

namespace TicketAspire.Webhooks.Services;

/// <summary>
/// One reseller's webhook and e-mail work, independent of every other reseller's: three loops, each waking every
/// <see cref="WebhookOptions.PollInterval"/> or when there is new work. The <b>dispatcher</b> turns the outbox into
/// messages, deliveries and mail jobs; the <b>mail sender</b> sends due e-mails (never behind webhooks); the
/// <b>deliverer</b> keeps up to <see cref="WebhookOptions.MaxConcurrentDeliveriesPerReseller"/> deliveries in flight (at
/// most <see cref="WebhookOptions.MaxConcurrentDeliveriesPerEndpoint"/> per endpoint) and claims the next due one as soon
/// as a slot frees, so an endpoint that hangs until the request timeout holds only its own slots. A failing pass is
/// logged and tried again after the interval.
/// </summary>
public sealed partial class ResellerWebhookPump(
    string reseller,
    Func<CancellationToken, ValueTask<NpgsqlDataSource>> database,
    HttpClient http,
    IEmailSender emailSender,
    WebhookOptions options,
    bool development,
    TimeProvider time,
    WebhookMetrics metrics,
    ILoggerFactory loggers,
    TicketSigner? signer = null)
{
    private readonly ILogger _logger = loggers.CreateLogger<ResellerWebhookPump>();
    private readonly WakeSignal _dispatchWake = new(), _mailWake = new(), _deliveryWake = new();
    private readonly DateTimeOffset?[] _lastPass = new DateTimeOffset?[3];

    /// <summary>The reseller this pump works for.</summary>
    public string Reseller { get; } = reseller;

    /// <summary>When every loop of the pump last completed a pass without error (the oldest of them); null before that.</summary>
    public DateTimeOffset? LastPass
    {
        get
        {
            lock (_lastPass)
            {
                return _lastPass.Any(p => p is null) ? null : _lastPass.Min();
            }
        }
    }

    /// <summary>Runs the dispatcher, the mail sender and the deliverer until <paramref name="ct"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken ct) => Task.WhenAll(
        LoopAsync(0, "Outbox dispatch", _dispatchWake, DispatchAsync, ct),
        LoopAsync(1, "Mail", _mailWake, SendMailAsync, ct),
        DeliverAsync(ct));

    private async Task DispatchAsync(CancellationToken ct)
    {
        var dispatcher = new OutboxDispatcher(await database(ct), time);
        int dispatched;
        do
        {
            dispatched = await dispatcher.DispatchAsync(options.BatchSize, ct);
            if (dispatched > 0)
            {
                metrics.Dispatched(Reseller, dispatched);
                _mailWake.Set();
                _deliveryWake.Set();
            }
        }
        while (dispatched == options.BatchSize);
    }

    private async Task SendMailAsync(CancellationToken ct)
    {
        var mail = new MailSender(await database(ct), emailSender, options, time, metrics, Reseller, loggers.CreateLogger<MailSender>(), signer);
        while (await mail.SendDueAsync(ct) == options.BatchSize)
        {
        }
    }

    private async Task LoopAsync(int index, string work, WakeSignal wake, Func<CancellationToken, Task> pass, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            wake.Reset();
            try
            {
                await pass(ct);
                Passed(index);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(_logger, work, Reseller, ex.Message);
            }

            await WaitAsync([wake.Task], ct);
        }
    }

    private async Task DeliverAsync(CancellationToken ct)
    {
        var sending = new List<(Task Task, Guid EndpointId)>();
        var inFlight = new Dictionary<Guid, int>();
        while (!ct.IsCancellationRequested)
        {
            _deliveryWake.Reset();
            foreach (var done in sending.Where(s => s.Task.IsCompleted).ToList())
            {
                sending.Remove(done);
                inFlight[done.EndpointId] -= 1;
                if (inFlight[done.EndpointId] == 0)
                {
                    inFlight.Remove(done.EndpointId);
                }
            }

            try
            {
                var free = options.MaxConcurrentDeliveriesPerReseller - sending.Count;
                if (free > 0)
                {
                    var deliverer = new WebhookDeliverer(await database(ct), http, options, development, time, metrics, Reseller,
                        loggers.CreateLogger<WebhookDeliverer>());
                    var claimed = await deliverer.ClaimAsync(free, inFlight, options.MaxConcurrentDeliveriesPerEndpoint, ct);
                    foreach (var delivery in claimed.Deliveries)
                    {
                        inFlight[delivery.EndpointId] = inFlight.GetValueOrDefault(delivery.EndpointId) + 1;
                        sending.Add((SendAsync(deliverer, delivery, claimed.SecretsOf(delivery), ct), delivery.EndpointId));
                    }
                }

                Passed(2);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFailed(_logger, "Webhook delivery", Reseller, ex.Message);
            }

            await WaitAsync([_deliveryWake.Task, .. sending.Select(s => s.Task)], ct);
        }

        await Task.WhenAll(sending.Select(s => s.Task));
    }

    private async Task SendAsync(WebhookDeliverer deliverer, WebhookDeliverer.Claimed delivery, List<string> secrets, CancellationToken ct)
    {
        try
        {
            await deliverer.SendAsync(delivery, secrets, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // the outcome could not be recorded: the claim's lease runs out and the delivery is sent again
            LogSendFailed(_logger, delivery.Id, Reseller, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // stopping: the lease runs out and the delivery is sent again by the next worker
        }
    }

    /// <summary>Waits for one of <paramref name="wakers"/> or the poll interval; returns early (without throwing) when stopping.</summary>
    private async Task WaitAsync(IEnumerable<Task> wakers, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var interval = Task.Delay(options.PollInterval, time, stop.Token);
        await Task.WhenAny([interval, .. wakers]);
        await stop.CancelAsync();
    }

    private void Passed(int index)
    {
        lock (_lastPass)
        {
            _lastPass[index] = time.GetUtcNow();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Work} pass of reseller {Reseller} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string work, string reseller, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outcome of delivery {DeliveryId} of reseller {Reseller} not recorded (sent again after the lease): {Error}")]
    private static partial void LogSendFailed(ILogger logger, Guid deliveryId, string reseller, string error);
}
