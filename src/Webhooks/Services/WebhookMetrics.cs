using System.Diagnostics.Metrics;

namespace TicketAspire.Webhooks.Services;

/// <summary>Counters of the meter <c>TicketAspire.Webhooks</c>.</summary>
public sealed class WebhookMetrics : IDisposable
{
    /// <summary>Meter name (to enable in OpenTelemetry).</summary>
    public const string MeterName = "TicketAspire.Webhooks";

    private readonly Meter _meter;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dead;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _mails;

    /// <summary>Creates the instruments on a meter of <paramref name="factory"/> (or a standalone meter).</summary>
    public WebhookMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _succeeded = _meter.CreateCounter<long>("ticketaspire.webhooks.deliveries.succeeded", description: "Deliveries answered 2xx");
        _failed = _meter.CreateCounter<long>("ticketaspire.webhooks.deliveries.failed", description: "Failed attempts (to be retried)");
        _dead = _meter.CreateCounter<long>("ticketaspire.webhooks.deliveries.dead", description: "Deliveries dead after the retry schedule");
        _dispatched = _meter.CreateCounter<long>("ticketaspire.webhooks.outbox.dispatched", description: "Outbox rows turned into messages");
        _mails = _meter.CreateCounter<long>("ticketaspire.webhooks.mails.sent", description: "E-mails handed to the sender");
    }

    internal void Succeeded(string reseller) => _succeeded.Add(1, new KeyValuePair<string, object?>("reseller", reseller));

    internal void Failed(string reseller) => _failed.Add(1, new KeyValuePair<string, object?>("reseller", reseller));

    internal void Dead(string reseller) => _dead.Add(1, new KeyValuePair<string, object?>("reseller", reseller));

    /// <summary>Counts outbox rows turned into messages.</summary>
    public void Dispatched(string reseller, int count) => _dispatched.Add(count, new KeyValuePair<string, object?>("reseller", reseller));

    internal void MailSent(string reseller) => _mails.Add(1, new KeyValuePair<string, object?>("reseller", reseller));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
