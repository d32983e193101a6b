namespace TicketAspire.Inventory.Payments;

/// <summary>
/// The platform's side of a PSP: create and read payment intents, refund them. Every call that changes something takes
/// an idempotency key, so a retried call (after a timeout, a crash) never charges or refunds twice. The cell's payment
/// simulator implements it over HTTP (<see cref="HttpPaymentGateway"/>); a real PSP's adapter replaces it here.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Creates a payment intent the buyer then confirms in the browser.</summary>
    /// <exception cref="PaymentGatewayException">The PSP refused or did not answer.</exception>
    Task<PaymentIntent> CreateIntentAsync(CreatePaymentIntent request, string idempotencyKey, CancellationToken ct);

    /// <summary>The intent's current state, read from the PSP (never from the client).</summary>
    Task<PaymentIntent> GetIntentAsync(string intentId, CancellationToken ct);

    /// <summary>Refunds <paramref name="amount"/> of a paid intent.</summary>
    Task<PspRefund> RefundAsync(string intentId, long amount, string reason, string idempotencyKey, CancellationToken ct);

    /// <summary>Where the buyer's browser confirms <paramref name="intentId"/>.</summary>
    Uri ConfirmUrl(string intentId);
}
