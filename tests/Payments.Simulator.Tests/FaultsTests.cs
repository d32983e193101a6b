using System.Diagnostics;
using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

public sealed class FaultsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SimulatorFactory _factory;
    private readonly HttpClient _platform;

    public FaultsTests()
    {
        _factory = new SimulatorFactory(_dir.Path);
        _platform = _factory.CreatePlatformClient();
    }

    [Fact]
    public async Task An_error_fault_answers_503_without_doing_anything_then_the_retry_works()
    {
        await ArmAsync("create_intent", "error", 2);
        var body = new { amount = 700, currency = "EUR", metadata = Psp.Metadata };

        for (var i = 0; i < 2; i++)
        {
            using var failed = await _platform.SendAsync(Psp.Post("/v1/payment_intents", body, "fault-key"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal("simulated_fault", await Psp.ProblemCodeAsync(failed));
        }

        Assert.Equal(0, Psp.CountRows(_dir.Path, "payment_intents"));
        using var retried = await _platform.SendAsync(Psp.Post("/v1/payment_intents", body, "fault-key"));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, Psp.CountRows(_dir.Path, "payment_intents"));
    }

    [Fact]
    public async Task A_timeout_fault_does_the_work_and_the_retry_gets_the_stored_response()
    {
        await ArmAsync("create_intent", "timeout", 1);
        var body = new { amount = 800, currency = "EUR", metadata = Psp.Metadata };
        using var impatient = _factory.CreatePlatformClient();
        using var giveUp = new CancellationTokenSource();

        // the client waits until the work is visibly done, then gives up: the answer must still be held back
        var pending = impatient.SendAsync(Psp.Post("/v1/payment_intents", body, "timeout-key"), giveUp.Token);
        var watch = Stopwatch.StartNew();
        while (Psp.CountRows(_dir.Path, "payment_intents") == 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the timed-out request never did its work");
            await Task.Delay(50);
        }

        await Task.Delay(200);
        Assert.False(pending.IsCompleted, "a timeout fault must withhold the answer");
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        using var retried = await _platform.SendAsync(Psp.Post("/v1/payment_intents", body, "timeout-key"));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(800, (await Psp.JsonAsync(retried)).GetProperty("amount").GetInt64());
        Assert.Equal(1, Psp.CountRows(_dir.Path, "payment_intents"));
    }

    [Fact]
    public async Task A_wildcard_fault_hits_any_operation_and_clearing_disarms_it()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        await ArmAsync("*", "error", 5);

        using (var failed = await _platform.GetAsync($"/v1/payment_intents/{Psp.Id(intent)}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        using (var cleared = await _platform.DeleteAsync("/v1/test/faults"))
        {
            Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        }

        Assert.Equal("requires_confirmation", Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
    }

    [Fact]
    public async Task A_fault_on_one_operation_leaves_the_others_alone()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        await ArmAsync("confirm_intent", "error", 1);

        Assert.Equal("requires_confirmation", Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
        using (var failed = await Psp.ConfirmAsync(_factory.CreateClient(), intent, "4242424242424242"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        Assert.Equal("succeeded", Psp.Status(await Psp.ConfirmOkAsync(_factory.CreateClient(), intent, "4242424242424242")));
    }

    [Theory]
    [InlineData("""{"operation":"delete_everything","kind":"error"}""", "operation")]
    [InlineData("""{"operation":"create_intent","kind":"explode"}""", "kind")]
    [InlineData("""{"operation":"create_intent","kind":"error","count":0}""", "count")]
    public async Task An_invalid_fault_is_refused(string body, string field)
    {
        using var response = await _platform.PostAsync("/v1/test/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Psp.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    private async Task ArmAsync(string operation, string kind, int count)
    {
        using var response = await _platform.SendAsync(Psp.Post("/v1/test/faults", new { operation, kind, count }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _dir.Dispose();
    }
}
