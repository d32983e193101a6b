using System.Net.Http.Json;
using System.Text.Json;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Payments.Simulator.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>
/// The cell's payment service (the simulator, in-process on a throw-away SQLite file) behind the real
/// <see cref="HttpPaymentGateway"/>, and the checkout over an <see cref="InventoryHarness"/>: orders paid through a real PSP.
/// </summary>
public sealed class PaymentHarness : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly SimulatorFactory _psp;
    private readonly InventoryHarness _inventory;

    private PaymentHarness(InventoryHarness inventory)
    {
        _inventory = inventory;
        _psp = new SimulatorFactory(_dir.Path);
        Platform = _psp.CreatePlatformClient();
        var options = new PaymentOptions { BaseUrl = Platform.BaseAddress, ApiKey = SimulatorFactory.ApiKey, WebhookSecret = SimulatorFactory.WebhookSecret };
        Gateway = new HttpPaymentGateway(_psp.CreateClient(), options);
        Checkout = new CheckoutService(inventory.Db, inventory.Sales, inventory.Cache, Gateway, new FeePlan(), options, inventory.Time, "acme");
        Refunds = new RefundService(inventory.Db, inventory.Cache, Gateway, inventory.Time);
    }

    /// <summary>Starts a payment service of its own and the checkout and refunds over <paramref name="inventory"/>.</summary>
    public static PaymentHarness Start(InventoryHarness inventory) => new(inventory);

    /// <summary>A client of the PSP with the platform's API key (test endpoints: faults).</summary>
    public HttpClient Platform { get; }

    public IPaymentGateway Gateway { get; }

    public CheckoutService Checkout { get; }

    public RefundService Refunds { get; }

    /// <summary>An order of one general-admission ticket, paid with a card that succeeds.</summary>
    public async Task<OrderView> PaidOrderAsync(Guid eventId, Guid classId, string customer)
    {
        var hold = (await _inventory.HoldTicketsAsync(eventId, classId, 1, customer)).ShouldSucceed();
        var payment = (await Checkout.StartAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
        using var browser = _psp.CreateClient();
        using var confirmed = await browser.PostAsJsonAsync($"/v1/payment_intents/{payment.Psp.PaymentIntentId}/confirm",
            new { client_secret = payment.Psp.ClientSecret, card_number = "4242424242424242" });
        confirmed.EnsureSuccessStatusCode();
        return (await Checkout.ConfirmAsync(hold.Id, null, CancellationToken.None)).ShouldSucceed();
    }

    /// <summary>The buyer confirms intent <paramref name="intentId"/> at the PSP with a card that succeeds.</summary>
    public async Task PayAtThePspAsync(string intentId, string clientSecret)
    {
        using var browser = _psp.CreateClient();
        using var confirmed = await browser.PostAsJsonAsync($"/v1/payment_intents/{intentId}/confirm",
            new { client_secret = clientSecret, card_number = "4242424242424242" });
        confirmed.EnsureSuccessStatusCode();
    }

    /// <summary>The intent id of a paid order.</summary>
    public Task<string> IntentOfAsync(Guid orderId) =>
        _inventory.ScalarAsync<string>("SELECT p.psp_intent_id FROM orders o JOIN payments p ON p.id = o.payment_id WHERE o.id = $1", orderId);

    /// <summary>The next <paramref name="count"/> calls of <paramref name="operation"/> fail at the PSP (<c>error</c>: 503).</summary>
    public async Task FaultAsync(string operation, int count, string kind = "error")
    {
        using var response = await Platform.PostAsJsonAsync("/v1/test/faults", new { operation, kind, count });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Refunds an intent at the PSP directly (as the PSP's dashboard would), behind the platform's back.</summary>
    public async Task RefundAtThePspAsync(string intentId)
    {
        using var response = await Platform.PostAsJsonAsync("/v1/refunds", new { payment_intent = intentId });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The outbox payloads of <paramref name="topic"/>, oldest first.</summary>
    public async Task<List<JsonElement>> OutboxAsync(string topic)
    {
        await using var cmd = _inventory.Db.CreateCommand("SELECT payload::text FROM outbox WHERE topic = $1 ORDER BY id");
        cmd.Parameters.Add(new() { Value = topic });
        var list = new List<JsonElement>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        Platform.Dispose();
        await _psp.DisposeAsync();
        _dir.Dispose();
    }
}
