using System.Net.Http.Json;
using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

public sealed class PaymentIntentsTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly HttpClient _platform = fixture.Factory.CreatePlatformClient();
    private readonly HttpClient _browser = fixture.Factory.CreateClient();

    [Fact]
    public async Task A_created_intent_requires_confirmation_and_keeps_its_metadata()
    {
        var intent = await Psp.CreateIntentAsync(_platform, amount: 4200);

        Assert.StartsWith("pi_", Psp.Id(intent), StringComparison.Ordinal);
        Assert.Equal("payment_intent", intent.GetProperty("object").GetString());
        Assert.Equal("requires_confirmation", Psp.Status(intent));
        Assert.Equal(4200, intent.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", intent.GetProperty("currency").GetString());
        Assert.StartsWith(Psp.Id(intent) + "_secret_", intent.GetProperty("client_secret").GetString(), StringComparison.Ordinal);
        Assert.Equal("h-1", intent.GetProperty("metadata").GetProperty("hold_id").GetString());
        Assert.Equal(JsonValueKind.Null, intent.GetProperty("last_payment_error").ValueKind);
        Assert.Equal(0, intent.GetProperty("amount_refunded").GetInt64());
        Assert.False(intent.GetProperty("disputed").GetBoolean());
        Assert.False(intent.GetProperty("fraud_flagged").GetBoolean());
        Assert.Equal(Psp.Id(intent), Psp.Id(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
    }

    [Theory]
    [InlineData("""{"currency":"EUR"}""", "amount")]
    [InlineData("""{"amount":0,"currency":"EUR"}""", "amount")]
    [InlineData("""{"amount":100,"currency":"EURO"}""", "currency")]
    [InlineData("""{"amount":100}""", "currency")]
    public async Task An_invalid_intent_is_refused_naming_the_field(string body, string field)
    {
        using var response = await _platform.PostAsync("/v1/payment_intents", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Psp.JsonAsync(response);
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("4242424242424242", "succeeded", null, "payment_intent.succeeded")]
    [InlineData("4000000000000002", "requires_payment_method", "generic_decline", "payment_intent.payment_failed")]
    [InlineData("4000000000009995", "requires_payment_method", "insufficient_funds", "payment_intent.payment_failed")]
    [InlineData("4000000000000259", "succeeded", null, "payment_intent.succeeded")]
    [InlineData("4100000000000019", "succeeded", null, "payment_intent.succeeded")]
    [InlineData("4111111111111111", "succeeded", null, "payment_intent.succeeded")]
    [InlineData("5555555555554444", "succeeded", null, "payment_intent.succeeded")]
    public async Task A_card_confirms_to_its_documented_result(string card, string status, string? declineCode, string eventType)
    {
        var intent = await Psp.CreateIntentAsync(_platform);

        var confirmed = await Psp.ConfirmOkAsync(_browser, intent, card);

        Assert.Equal(status, Psp.Status(confirmed));
        var error = confirmed.GetProperty("last_payment_error");
        if (declineCode is null)
        {
            Assert.Equal(JsonValueKind.Null, error.ValueKind);
        }
        else
        {
            Assert.Equal("card_declined", error.GetProperty("code").GetString());
            Assert.Equal(declineCode, error.GetProperty("decline_code").GetString());
        }

        Assert.Equal(status, Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
        var evt = await Psp.WaitForEventAsync(_platform, e => e.GetProperty("payment_intent").GetString() == Psp.Id(intent));
        Assert.Equal(eventType, evt.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("4000000000000077", "succeeded", "payment_intent.succeeded")]
    [InlineData("4000000000000341", "requires_payment_method", "payment_intent.payment_failed")]
    public async Task A_processing_card_resolves_after_the_async_delay(string card, string finalStatus, string eventType)
    {
        var intent = await Psp.CreateIntentAsync(_platform);

        var confirmed = await Psp.ConfirmOkAsync(_browser, intent, card);
        Assert.Equal("processing", Psp.Status(confirmed));

        var evt = await Psp.WaitForEventAsync(_platform, e => e.GetProperty("payment_intent").GetString() == Psp.Id(intent));
        Assert.Equal(eventType, evt.GetProperty("type").GetString());
        Assert.Equal(finalStatus, evt.GetProperty("event").GetProperty("data").GetProperty("object").GetProperty("status").GetString());
        Assert.Equal(finalStatus, Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
    }

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("424242424242424")]
    [InlineData("42424242424242420")]
    [InlineData("4242-4242-4242-4242")]
    public async Task A_number_that_is_no_card_is_refused_and_changes_nothing(string card)
    {
        var intent = await Psp.CreateIntentAsync(_platform);

        using var response = await Psp.ConfirmAsync(_browser, intent, card);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_card_number", await Psp.ProblemCodeAsync(response));
        Assert.Equal("requires_confirmation", Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
    }

    [Fact]
    public async Task A_declined_intent_can_be_confirmed_again_with_another_card()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        Assert.Equal("requires_payment_method", Psp.Status(await Psp.ConfirmOkAsync(_browser, intent, "4000000000009995")));

        var retried = await Psp.ConfirmOkAsync(_browser, intent, "4242424242424242");

        Assert.Equal("succeeded", Psp.Status(retried));
        Assert.Equal(JsonValueKind.Null, retried.GetProperty("last_payment_error").ValueKind);
    }

    [Fact]
    public async Task A_succeeded_intent_cannot_be_confirmed_again()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        await Psp.ConfirmOkAsync(_browser, intent, "4242424242424242");

        using var response = await Psp.ConfirmAsync(_browser, intent, "4242424242424242");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("payment_intent_unexpected_state", await Psp.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task Health_includes_the_database_and_needs_no_key()
    {
        using var response = await _browser.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_with_a_code()
    {
        using var response = await _platform.GetAsync("/v1/charges");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", await Psp.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task An_unknown_intent_is_not_found()
    {
        using var response = await _platform.GetAsync("/v1/payment_intents/pi_nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("payment_intent_not_found", await Psp.ProblemCodeAsync(response));
    }

    [Theory]
    [InlineData("GET", "/v1/payment_intents/pi_x")]
    [InlineData("POST", "/v1/payment_intents")]
    [InlineData("POST", "/v1/refunds")]
    [InlineData("GET", "/v1/refunds/re_x")]
    [InlineData("POST", "/v1/test/faults")]
    [InlineData("DELETE", "/v1/test/faults")]
    [InlineData("GET", "/v1/test/webhooks")]
    public async Task Platform_calls_without_the_api_key_are_unauthorized(string method, string path)
    {
        foreach (var authorization in new[] { null, "Bearer wrong-key", "Basic " + SimulatorFactory.ApiKey })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { amount = 100, currency = "EUR" });
            }

            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await _browser.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthorized", await Psp.ProblemCodeAsync(response));
        }
    }

    [Fact]
    public async Task Confirming_needs_the_intents_own_client_secret()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        var other = await Psp.CreateIntentAsync(_platform);

        foreach (var secret in new[] { "", "pi_x_secret_y", other.GetProperty("client_secret").GetString()! })
        {
            using var response = await Psp.ConfirmAsync(_browser, intent, "4242424242424242", secret);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("invalid_client_secret", await Psp.ProblemCodeAsync(response));
        }

        Assert.Equal("requires_confirmation", Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
    }
}
