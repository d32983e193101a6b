using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

public sealed class RestartTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Intents_idempotency_records_and_due_work_survive_a_restart()
    {
        var body = new { amount = 990, currency = "EUR", metadata = Psp.Metadata };
        string createdBody;
        JsonElement processing;
        await using (var before = new SimulatorFactory(_dir.Path, new Dictionary<string, string?> { ["Psp:AsyncDelay"] = "1s" }))
        {
            using var created = await before.CreatePlatformClient().SendAsync(Psp.Post("/v1/payment_intents", body, "restart-key"));
            createdBody = await created.Content.ReadAsStringAsync();
            processing = await Psp.CreateIntentAsync(before.CreatePlatformClient());
            Assert.Equal("processing", Psp.Status(await Psp.ConfirmOkAsync(before.CreateClient(), processing, "4000000000000077")));
        }

        // the processing outcome was due while no process ran; the new one delivers it
        await using var receiver = await WebhookReceiver.StartAsync(SimulatorFactory.WebhookSecret);
        await using var after = new SimulatorFactory(_dir.Path, new Dictionary<string, string?> { ["Psp:WebhookUrl"] = receiver.Url });
        var platform = after.CreatePlatformClient();

        using var replayed = await platform.SendAsync(Psp.Post("/v1/payment_intents", body, "restart-key"));
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(createdBody, await replayed.Content.ReadAsStringAsync());
        var first = JsonDocument.Parse(createdBody).RootElement;
        Assert.Equal("requires_confirmation", Psp.Status(await Psp.GetIntentAsync(platform, Psp.Id(first))));

        var webhook = await receiver.WaitForAsync(w => Psp.Id(w.Subject) == Psp.Id(processing));
        Assert.Equal("payment_intent.succeeded", webhook.Type);
        Assert.True(webhook.SignatureValid);
        Assert.Equal("succeeded", Psp.Status(await Psp.GetIntentAsync(platform, Psp.Id(processing))));
        Assert.Equal(2, Psp.CountRows(_dir.Path, "payment_intents"));
    }

    public void Dispose() => _dir.Dispose();
}
