namespace TicketAspire.Worker;

/// <summary>The worker's waiting-room and waitlist settings (<c>WaitingRoom:…</c>, <c>Waitlist:…</c>).</summary>
public sealed class WaitingRoomOptions
{
    /// <summary>HMAC key of admission tokens, the same as the API's.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Pause between admission rounds over every reseller.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a waitlist offer's hold lasts (<c>Waitlist:OfferSeconds</c>).</summary>
    public int OfferSeconds { get; set; } = 300;
}
