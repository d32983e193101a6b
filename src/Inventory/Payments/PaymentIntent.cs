namespace TicketAspire.Inventory.Payments;

/// <summary>A payment intent as the PSP reports it.</summary>
public sealed record PaymentIntent(
    string Id,
    string Status,
    long Amount,
    string Currency,
    string? ClientSecret,
    IReadOnlyDictionary<string, string> Metadata,
    PaymentError? LastPaymentError,
    long AmountRefunded)
{
    /// <summary>Paid: the money is captured.</summary>
    public bool Succeeded => Status == "succeeded";

    /// <summary>The buyer's bank is still deciding; a webhook will tell.</summary>
    public bool Processing => Status == "processing";

    /// <summary>The last attempt was declined (a new card may be tried).</summary>
    public bool Declined => Status == "requires_payment_method" && LastPaymentError is not null;
}

/// <summary>Why a payment was declined.</summary>
public sealed record PaymentError(string? Code, string? DeclineCode, string? Message);

/// <summary>A refund as the PSP reports it.</summary>
public sealed record PspRefund(string Id, string Status, long Amount, string PaymentIntent);

/// <summary>What the platform asks the PSP to collect.</summary>
public sealed record CreatePaymentIntent(long Amount, string Currency, string Description, IReadOnlyDictionary<string, string> Metadata);
