namespace TicketAspire.Inventory.Payments;

/// <summary>How the platform talks to the cell's payment service (configuration section <c>Payments</c>).</summary>
public sealed class PaymentOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Payments";

    /// <summary>Base address of the PSP's server API (service discovery: <c>http://eu-payments</c>).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Where a buyer's browser reaches the PSP to confirm a payment (the PSP's public origin).</summary>
    public Uri? PublicOrigin { get; set; }

    /// <summary>Secret API key of the platform at the PSP.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Secret the PSP signs its webhooks with (Standard Webhooks, key = UTF-8 bytes).</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>
    /// The largest amount the PSP accepts for one payment, in minor units (the simulator's: 99,999,999). A hold whose
    /// total (fees and tax included) is larger cannot be paid: starting its payment answers 422
    /// <c>payment_amount_too_large</c> without calling the PSP.
    /// </summary>
    public long MaxAmountMinor { get; set; } = 99_999_999;

    /// <summary>Payment attempts per hold; the last failed one releases the seats (seed 000: 3).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How much the first failed attempt extends the hold (once).</summary>
    public TimeSpan FailureExtension { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Largest PSP webhook body read (default 64 KiB). A larger one is refused
    /// with 413 before it is read: by its Content-Length, or once this many bytes arrived without one.
    /// </summary>
    public int WebhookMaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How old a PSP webhook's timestamp may be (replay protection).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time limit of one call to the PSP (the resilience policy retries within <see cref="TotalTimeout"/>).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time limit of a PSP call including retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
