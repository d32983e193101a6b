using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

public sealed class WebhooksTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private WebhookReceiver _receiver = null!;
    private SimulatorFactory _factory = null!;
    private HttpClient _platform = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync() => await StartAsync(failFirst: 0);

    [Fact]
    public async Task A_processing_payment_is_announced_by_a_signed_webhook()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        Assert.Equal("processing", Psp.Status(await Psp.ConfirmOkAsync(_browser, intent, "4000000000000077")));

        var webhook = await _receiver.WaitForAsync(w => Psp.Id(w.Subject) == Psp.Id(intent));

        Assert.True(webhook.SignatureValid);
        Assert.Equal("payment_intent.succeeded", webhook.Type);
        Assert.StartsWith("evt_", webhook.Id, StringComparison.Ordinal);
        Assert.Equal(webhook.Id, webhook.Json.GetProperty("id").GetString());
        Assert.Equal("succeeded", Psp.Status(webhook.Subject));
        Assert.Equal("h-1", webhook.Subject.GetProperty("metadata").GetProperty("hold_id").GetString());
    }

    [Fact]
    public async Task A_processing_failure_is_announced_with_its_error()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        await Psp.ConfirmOkAsync(_browser, intent, "4000000000000341");

        var webhook = await _receiver.WaitForAsync(w => Psp.Id(w.Subject) == Psp.Id(intent));

        Assert.Equal("payment_intent.payment_failed", webhook.Type);
        Assert.Equal("requires_payment_method", Psp.Status(webhook.Subject));
        Assert.Equal("card_declined", webhook.Subject.GetProperty("last_payment_error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_dispute_card_gets_a_chargeback_after_its_success()
    {
        var intent = await Psp.CreateIntentAsync(_platform, amount: 5000);
        await Psp.ConfirmOkAsync(_browser, intent, "4000000000000259");

        var dispute = await _receiver.WaitForAsync(w => w.Type == "charge.dispute.created" && w.Subject.GetProperty("payment_intent").GetString() == Psp.Id(intent));

        Assert.True(dispute.SignatureValid);
        Assert.StartsWith("dp_", Psp.Id(dispute.Subject), StringComparison.Ordinal);
        Assert.Equal(5000, dispute.Subject.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", dispute.Subject.GetProperty("currency").GetString());
        Assert.Equal(1500, dispute.Subject.GetProperty("fee").GetInt64());
        Assert.False(string.IsNullOrEmpty(dispute.Subject.GetProperty("reason").GetString()));
        Assert.Equal("p-1", dispute.Subject.GetProperty("metadata").GetProperty("payment_id").GetString());
        Assert.True((await Psp.GetIntentAsync(_platform, Psp.Id(intent))).GetProperty("disputed").GetBoolean());
        // the success came first
        var types = _receiver.Received.Where(r => r.Body.Contains(Psp.Id(intent), StringComparison.Ordinal)).Select(r => r.Type).ToList();
        Assert.Equal(new[] { "payment_intent.succeeded", "charge.dispute.created" }, types);
    }

    [Fact]
    public async Task The_fraud_card_gets_an_early_fraud_warning_after_its_success()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        await Psp.ConfirmOkAsync(_browser, intent, "4100000000000019");

        var warning = await _receiver.WaitForAsync(w => w.Type == "radar.early_fraud_warning.created" && w.Subject.GetProperty("payment_intent").GetString() == Psp.Id(intent));

        Assert.True(warning.SignatureValid);
        Assert.StartsWith("issfr_", Psp.Id(warning.Subject), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(warning.Subject.GetProperty("fraud_type").GetString()));
        Assert.Equal("acme", warning.Subject.GetProperty("metadata").GetProperty("reseller").GetString());
        Assert.True((await Psp.GetIntentAsync(_platform, Psp.Id(intent))).GetProperty("fraud_flagged").GetBoolean());
    }

    [Fact]
    public async Task A_webhook_is_retried_until_the_receiver_accepts_it()
    {
        await RestartAsync(failFirst: 2);
        var intent = await Psp.CreateIntentAsync(_platform);
        await Psp.ConfirmOkAsync(_browser, intent, "4242424242424242");

        var webhook = await _receiver.WaitForAsync(w => Psp.Id(w.Subject) == Psp.Id(intent));

        var attempts = _receiver.Received.Where(r => r.Id == webhook.Id).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Equal(new[] { true, true, false }, attempts.Select(a => a.AnsweredFailure));
        Assert.All(attempts, a => Assert.True(a.SignatureValid));
        Assert.All(attempts, a => Assert.Equal(webhook.Body, a.Body));
        var stored = await Psp.WaitForEventAsync(_platform, e => Psp.Id(e) == webhook.Id && e.GetProperty("state").GetString() == "delivered");
        Assert.Equal(3, stored.GetProperty("attempts").GetInt32());
        Assert.Equal(204, stored.GetProperty("last_status").GetInt32());
    }

    [Fact]
    public async Task A_webhook_is_marked_failed_after_the_last_retry()
    {
        await RestartAsync(failFirst: 1000);
        var intent = await Psp.CreateIntentAsync(_platform);
        await Psp.ConfirmOkAsync(_browser, intent, "4000000000000002");

        // schedule 200ms,200ms,200ms: the first attempt and three retries
        var stored = await Psp.WaitForEventAsync(_platform, e => e.GetProperty("payment_intent").GetString() == Psp.Id(intent)
            && e.GetProperty("state").GetString() == "failed");

        Assert.Equal(4, stored.GetProperty("attempts").GetInt32());
        Assert.Equal(500, stored.GetProperty("last_status").GetInt32());
        Assert.Equal(4, _receiver.Received.Count(r => r.Id == Psp.Id(stored)));
    }

    [Fact]
    public async Task A_receiver_with_another_secret_rejects_the_signature()
    {
        await using var impostor = await WebhookReceiver.StartAsync("not-the-secret");
        await using var factory = new SimulatorFactory(_dir.Path + "-impostor", new Dictionary<string, string?> { ["Psp:WebhookUrl"] = impostor.Url });
        var intent = await Psp.CreateIntentAsync(factory.CreatePlatformClient());
        await Psp.ConfirmOkAsync(factory.CreateClient(), intent, "4242424242424242");

        var webhook = await impostor.WaitForAsync(w => Psp.Id(w.Subject) == Psp.Id(intent));

        Assert.False(webhook.SignatureValid);
    }

    private async Task StartAsync(int failFirst)
    {
        _receiver = await WebhookReceiver.StartAsync(SimulatorFactory.WebhookSecret, failFirst);
        _factory = new SimulatorFactory(_dir.Path, new Dictionary<string, string?> { ["Psp:WebhookUrl"] = _receiver.Url });
        _platform = _factory.CreatePlatformClient();
        _browser = _factory.CreateClient();
    }

    private async Task RestartAsync(int failFirst)
    {
        await DisposeServersAsync();
        await StartAsync(failFirst);
    }

    private async Task DisposeServersAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    public async Task DisposeAsync() => await DisposeServersAsync();

    public void Dispose()
    {
        _factory.Dispose();
        _dir.Dispose();
        if (Directory.Exists(_dir.Path + "-impostor"))
        {
            Directory.Delete(_dir.Path + "-impostor", recursive: true);
        }
    }
}
