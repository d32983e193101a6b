using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>The checkout's refusals, against a real PSP (the cell's payment service in-process) and a real Postgres.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class CheckoutServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private PaymentHarness _payments = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(CheckoutServiceShould));
        _payments = PaymentHarness.Start(_inventory);
    }

    public async Task DisposeAsync()
    {
        await _payments.DisposeAsync();
        await _inventory.DisposeAsync();
    }

    [Fact]
    public async Task RefuseToConfirmAHoldWithoutAPaymentInDomainTerms()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(2));
        var hold = (await _inventory.HoldTicketsAsync(ev.Id, ev.TicketClasses[0].Id, 1, "alice")).ShouldSucceed();

        var error = (await _payments.Checkout.ConfirmAsync(hold.Id, null, CancellationToken.None)).ShouldFailWith(ErrorCodes.PaymentRequired);

        Assert.Equal($"Hold '{hold.Id}' has no open payment: start one and confirm it at the PSP.", error.Detail);
    }
}
