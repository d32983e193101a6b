using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// Delivers the outbox (<see cref="WebhookOutbox"/>) to <see cref="PspOptions.WebhookUrl"/> in order, signed as
/// Standard Webhooks; a non-2xx answer, a timeout or a network error is retried after the next wait of
/// <see cref="PspOptions.WebhookRetrySchedule"/>, and after the last one the event is marked failed.
/// </summary>
public sealed class WebhookSender(WebhookOutbox outbox, IHttpClientFactory clients, TimeProvider time, IOptions<PspOptions> options, ILogger<WebhookSender> logger)
    : BackgroundService
{
    /// <summary>Name of the HttpClient (no resilience handler: retries follow the schedule).</summary>
    public const string HttpClientName = "webhooks";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.WebhookUrl))
        {
            return; // events are stored, not sent
        }

        var client = clients.CreateClient(HttpClientName);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var evt in await outbox.DueAsync(time.GetUtcNow(), 50))
                {
                    await DeliverAsync(client, evt, o, stoppingToken);
                }

                await outbox.WaitForWorkAsync(o.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                // the outbox stays as it was: the next scan tries again
                Log.ScanFailed(logger, ex, "webhook outbox");
                await Task.Delay(o.PollInterval, time, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(HttpClient client, OutboxEvent evt, PspOptions o, CancellationToken stoppingToken)
    {
        var attempt = evt.Attempts + 1;
        int? status = null;
        string error;
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, o.WebhookUrl)
        {
            Content = new StringContent(evt.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", evt.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(o.WebhookSecret, evt.Id, timestamp, evt.Payload));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(o.WebhookTimeout);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await outbox.RecordAttemptAsync(evt.Id, attempt, WebhookOutbox.States.Delivered, status, null, time.GetUtcNow(), null);
                Log.WebhookDelivered(logger, evt.Id, evt.Type, attempt);
                return;
            }

            error = $"HTTP {status}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"no answer within {o.WebhookTimeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException ex)
        {
            error = ex.Message;
        }

        var now = time.GetUtcNow();
        if (attempt > o.WebhookRetrySchedule.Count)
        {
            await outbox.RecordAttemptAsync(evt.Id, attempt, WebhookOutbox.States.Failed, status, error, now, null);
            Log.WebhookFailed(logger, evt.Id, evt.Type, attempt, error);
            return;
        }

        var delay = o.WebhookRetrySchedule[attempt - 1];
        await outbox.RecordAttemptAsync(evt.Id, attempt, WebhookOutbox.States.Pending, status, error, now, now + delay);
        Log.WebhookRetry(logger, evt.Id, evt.Type, attempt, error, delay);
    }
}
