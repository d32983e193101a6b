namespace TicketAspire.Payments.Simulator.Model;

/// <summary>Where a payment intent stands (serialized snake_case: <c>requires_confirmation</c>, …).</summary>
public enum PaymentIntentStatus
{
    /// <summary>Created; waiting for the buyer's card.</summary>
    RequiresConfirmation = 0,

    /// <summary>The card was accepted for asynchronous processing; a webhook tells the outcome.</summary>
    Processing = 1,

    /// <summary>Paid.</summary>
    Succeeded = 2,

    /// <summary>The last attempt was declined; can be confirmed again with another card.</summary>
    RequiresPaymentMethod = 3,

    /// <summary>Given up.</summary>
    Canceled = 4,
}
