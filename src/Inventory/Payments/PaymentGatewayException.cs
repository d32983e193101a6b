namespace TicketAspire.Inventory.Payments;

/// <summary>A PSP call failed: <see cref="Transient"/> when it did not answer (timeout, 5xx) and may be retried later.</summary>
public sealed class PaymentGatewayException : Exception
{
    public PaymentGatewayException()
    {
    }

    public PaymentGatewayException(string message) : base(message)
    {
    }

    public PaymentGatewayException(string message, Exception inner) : base(message, inner)
    {
    }

    public PaymentGatewayException(string message, bool transient, string? code = null, Exception? inner = null, int? statusCode = null) : base(message, inner)
    {
        Transient = transient;
        Code = code;
        StatusCode = statusCode;
    }

    /// <summary>The PSP did not answer or answered 5xx: the same call with the same idempotency key may succeed later.</summary>
    public bool Transient { get; }

    /// <summary>The PSP's error code, when it gave one.</summary>
    public string? Code { get; }

    /// <summary>The HTTP status the PSP answered with, when it answered.</summary>
    public int? StatusCode { get; }
}
