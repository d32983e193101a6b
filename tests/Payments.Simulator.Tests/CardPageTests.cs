using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Payments.Simulator.Tests;

/// <summary>The hosted card page (<c>/pay/{intent}</c>) a storefront sends the buyer's browser to.</summary>
public sealed class CardPageTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string ReturnUrl = "http://acme.eu.localhost:5000/checkout/h-1/return";
    private readonly HttpClient _platform = fixture.Factory.CreatePlatformClient();
    private readonly HttpClient _browser = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task The_page_shows_the_amount_and_a_labelled_card_field()
    {
        var intent = await Psp.CreateIntentAsync(_platform, amount: 11657);

        using var page = await _browser.GetAsync(PageUrl(intent));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("116.57 EUR", html, StringComparison.Ordinal);
        Assert.Contains("<label>Card number <input name=\"card_number\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4242 4242 4242 4242", "succeeded", "succeeded")]
    [InlineData("4000000000000002", "failed", "requires_payment_method")]
    [InlineData("4000000000000077", "processing", "processing")]
    public async Task Paying_confirms_the_intent_and_returns_to_the_shop_with_its_status(string card, string redirectStatus, string intentStatus)
    {
        var intent = await Psp.CreateIntentAsync(_platform);

        using var paid = await PayAsync(intent, card, Secret(intent), ReturnUrl);

        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.Equal($"{ReturnUrl}?payment_intent={Psp.Id(intent)}&redirect_status={redirectStatus}", paid.Headers.Location!.ToString());
        Assert.Equal(intentStatus, Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
    }

    [Fact]
    public async Task A_declined_intent_can_be_paid_again_with_another_card()
    {
        var intent = await Psp.CreateIntentAsync(_platform);
        (await PayAsync(intent, "4000000000000002", Secret(intent), ReturnUrl)).Dispose();

        using var page = await _browser.GetAsync(PageUrl(intent));
        Assert.Contains("declined", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var again = await PayAsync(intent, "4242424242424242", Secret(intent), ReturnUrl);

        Assert.EndsWith("redirect_status=succeeded", again.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-secret", ReturnUrl)]
    [InlineData(null, "javascript:alert(1)")]
    [InlineData(null, "/relative")]
    public async Task A_wrong_secret_or_return_url_shows_no_form_and_charges_nothing(string? secret, string returnUrl)
    {
        var intent = await Psp.CreateIntentAsync(_platform);

        using var page = await _browser.GetAsync($"/pay/{Psp.Id(intent)}?client_secret={Uri.EscapeDataString(secret ?? Secret(intent))}&return_url={Uri.EscapeDataString(returnUrl)}");
        using var paid = await PayAsync(intent, "4242424242424242", secret ?? Secret(intent), returnUrl);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, paid.StatusCode);
        Assert.Equal("requires_confirmation", Psp.Status(await Psp.GetIntentAsync(_platform, Psp.Id(intent))));
    }

    [Fact]
    public async Task An_invalid_card_number_shows_the_form_again()
    {
        var intent = await Psp.CreateIntentAsync(_platform);

        using var paid = await PayAsync(intent, "1234", Secret(intent), ReturnUrl);

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Contains("not a valid card number", await paid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Secret(JsonElement intent) => intent.GetProperty("client_secret").GetString()!;

    private static string PageUrl(JsonElement intent) =>
        $"/pay/{Psp.Id(intent)}?client_secret={Uri.EscapeDataString(Secret(intent))}&return_url={Uri.EscapeDataString(ReturnUrl)}";

    private Task<HttpResponseMessage> PayAsync(JsonElement intent, string card, string secret, string returnUrl) =>
        _browser.PostAsync($"/pay/{Psp.Id(intent)}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_secret"] = secret,
            ["return_url"] = returnUrl,
            ["card_number"] = card,
        }));
}
