namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>Idempotency keys, bound from the <c>Idempotency</c> section.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Idempotency";

    /// <summary>How long a key and its stored answer are kept (default 24 h); after it the key may be used afresh.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a claimed key may stay unanswered before a retry with the same request takes it over (default 1 min): the
    /// request that claimed it died with its replica. Longer than any request runs (database commands time out after
    /// 30 s, PSP calls sooner).
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest request body fingerprinted (default 64 KiB); a keyed request with a larger body is refused.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}
