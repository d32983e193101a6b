using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

public sealed class RefundsTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly HttpClient _platform = fixture.Factory.CreatePlatformClient();
    private readonly HttpClient _browser = fixture.Factory.CreateClient();

    [Fact]
    public async Task A_refund_without_amount_refunds_the_rest_and_announces_it()
    {
        var intent = await SucceededIntentAsync(3000);

        var refund = await RefundOkAsync(Psp.Id(intent), null, "requested_by_customer");

        Assert.StartsWith("re_", Psp.Id(refund), StringComparison.Ordinal);
        Assert.Equal("succeeded", Psp.Status(refund));
        Assert.Equal(3000, refund.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", refund.GetProperty("currency").GetString());
        Assert.Equal(Psp.Id(intent), refund.GetProperty("payment_intent").GetString());
        Assert.Equal(3000, (await Psp.GetIntentAsync(_platform, Psp.Id(intent))).GetProperty("amount_refunded").GetInt64());
        var fetched = await Psp.JsonAsync(await _platform.GetAsync($"/v1/refunds/{Psp.Id(refund)}"));
        Assert.Equal(3000, fetched.GetProperty("amount").GetInt64());

        var evt = await Psp.WaitForEventAsync(_platform, e => e.GetProperty("type").GetString() == "charge.refunded"
            && e.GetProperty("payment_intent").GetString() == Psp.Id(intent));
        var subject = evt.GetProperty("event").GetProperty("data").GetProperty("object");
        Assert.Equal(Psp.Id(refund), Psp.Id(subject));
        Assert.Equal("acme", subject.GetProperty("metadata").GetProperty("reseller").GetString());
    }

    [Fact]
    public async Task Partial_refunds_add_up_and_an_over_refund_is_refused()
    {
        var intent = await SucceededIntentAsync(1000);
        await RefundOkAsync(Psp.Id(intent), 400, null);
        await RefundOkAsync(Psp.Id(intent), 500, null);

        using var over = await RefundAsync(Psp.Id(intent), 101);

        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal("amount_too_large", await Psp.ProblemCodeAsync(over));
        Assert.Equal(900, (await Psp.GetIntentAsync(_platform, Psp.Id(intent))).GetProperty("amount_refunded").GetInt64());
        await RefundOkAsync(Psp.Id(intent), 100, null);

        using var again = await RefundAsync(Psp.Id(intent), null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("charge_already_refunded", await Psp.ProblemCodeAsync(again));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("4000000000000002")]
    [InlineData("4000000000000077")]
    public async Task Only_a_succeeded_intent_can_be_refunded(string? card)
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        if (card is not null)
        {
            await Psp.ConfirmOkAsync(_browser, intent, card);
        }

        using var response = await RefundAsync(Psp.Id(intent), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("intent_not_refundable", await Psp.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task Refunds_of_unknown_intents_and_unknown_refunds_are_not_found()
    {
        using var refund = await RefundAsync("pi_nope", null);
        using var get = await _platform.GetAsync("/v1/refunds/re_nope");

        Assert.Equal("payment_intent_not_found", await Psp.ProblemCodeAsync(refund));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("refund_not_found", await Psp.ProblemCodeAsync(get));
    }

    [Fact]
    public async Task A_reason_of_more_than_200_characters_is_refused_for_good_and_one_of_200_is_accepted()
    {
        var intent = await SucceededIntentAsync(1000);

        using var tooLong = await RefundAsync(Psp.Id(intent), null, new string('x', 201));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("invalid_request", await Psp.ProblemCodeAsync(tooLong));
        Assert.Equal(0, (await Psp.GetIntentAsync(_platform, Psp.Id(intent))).GetProperty("amount_refunded").GetInt64());
        Assert.Equal(new string('x', 200), (await RefundOkAsync(Psp.Id(intent), null, new string('x', 200))).GetProperty("reason").GetString());
    }

    private async Task<JsonElement> SucceededIntentAsync(long amount)
    {
        var intent = await Psp.CreateIntentAsync(_platform, amount);
        Assert.Equal("succeeded", Psp.Status(await Psp.ConfirmOkAsync(_browser, intent, "4242424242424242")));
        return intent;
    }

    private Task<HttpResponseMessage> RefundAsync(string intentId, long? amount, string? reason = null) =>
        _platform.SendAsync(Psp.Post("/v1/refunds", new { payment_intent = intentId, amount, reason }, Guid.NewGuid().ToString()));

    private async Task<JsonElement> RefundOkAsync(string intentId, long? amount, string? reason)
    {
        using var response = await RefundAsync(intentId, amount, reason);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Psp.JsonAsync(response);
    }
}
