namespace TicketAspire.Api.Infrastructure.Abuse;

/// <summary>
/// The first bot layer on holds, bound from the <c>Abuse</c> section. Velocity budgets are rate-limit rules
/// (<c>RateLimiting:HoldsPerAccount</c>, <c>RateLimiting:HoldsPerDevice</c>); this section is hold-without-confirm: an
/// account with <see cref="MaxUnconfirmedHolds"/> holds cancelled or expired unconfirmed within
/// <see cref="UnconfirmedWindow"/> is blocked from new holds for <see cref="BlockFor"/>.
/// </summary>
public sealed class AbuseOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Abuse";

    /// <summary><c>false</c> turns the guard off (no velocity limits, no blocks).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How far back unconfirmed holds count (default 1 h).</summary>
    public TimeSpan UnconfirmedWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Unconfirmed holds within the window that start a block (default 10).</summary>
    public int MaxUnconfirmedHolds { get; set; } = 10;

    /// <summary>How long a block lasts (default 30 min).</summary>
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The cell's key of issued device ids (<see cref="DeviceIds"/>; the AppHost passes the parameter
    /// <c>&lt;cell&gt;-device-id-key</c>). Every replica of the cell needs the same; unset, each process makes its own.
    /// </summary>
    public string DeviceIdKey { get; set; } = "";

    /// <summary>True when the values are consistent.</summary>
    public bool IsValid() => UnconfirmedWindow > TimeSpan.Zero && MaxUnconfirmedHolds >= 1 && BlockFor > TimeSpan.Zero;
}
