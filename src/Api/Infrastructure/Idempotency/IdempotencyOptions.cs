namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>Idempotency keys, bound from the <c>Idempotency</c> section.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Idempotency";

    /// <summary>How long a key and its stored answer are kept (default 24 h); after it the key may be used afresh.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Largest request body fingerprinted (default 64 KiB); a keyed request with a larger body is refused.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}
