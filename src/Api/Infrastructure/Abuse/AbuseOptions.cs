namespace TicketAspire.Api.Infrastructure.Abuse;

/// <summary>
/// The API's part of the first bot layer on holds, bound from the <c>Abuse</c> section. Velocity budgets are rate-limit
/// rules (<c>RateLimiting:HoldsPerAccount</c>, <c>RateLimiting:HoldsPerDevice</c>); hold-without-confirm blocks are the
/// inventory core's rule, bound from the same section (<see cref="TicketAspire.Inventory.Holds.AccountBlockOptions"/>:
/// <c>Abuse:UnconfirmedWindow</c>, <c>Abuse:MaxUnconfirmedHolds</c>, <c>Abuse:BlockFor</c>).
/// </summary>
public sealed class AbuseOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Abuse";

    /// <summary>
    /// <c>false</c> turns the guard off (no device ids checked, no velocity limits); the core reads the same setting and
    /// starts no blocks.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The cell's key of issued device ids (<see cref="DeviceIds"/>; the AppHost passes the parameter
    /// <c>&lt;cell&gt;-device-id-key</c>). Every replica of the cell needs the same; unset, each process makes its own.
    /// </summary>
    public string DeviceIdKey { get; set; } = "";
}
