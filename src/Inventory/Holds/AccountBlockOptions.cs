namespace TicketAspire.Inventory.Holds;

/// <summary>
/// Hold-without-confirm blocks (<see cref="AccountBlocks"/>, enforced by <see cref="HoldService.CreateAsync(Model.CreateHoldCommand, CancellationToken)"/>):
/// an account with <see cref="MaxUnconfirmedHolds"/> holds cancelled or expired unconfirmed within
/// <see cref="UnconfirmedWindow"/> is refused new holds for <see cref="BlockFor"/>. The hosts bind it from the
/// <c>Abuse</c> section, the one the API's edge limits (device ids, <c>Abuse:Enabled</c>) read too.
/// </summary>
public sealed class AccountBlockOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Abuse";

    /// <summary><c>false</c> turns blocks off (as it turns the API's velocity limits off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How far back unconfirmed holds count (default 1 h).</summary>
    public TimeSpan UnconfirmedWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Unconfirmed holds within the window that start a block (default 10).</summary>
    public int MaxUnconfirmedHolds { get; set; } = 10;

    /// <summary>How long a block lasts (default 30 min).</summary>
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>True when the values are consistent.</summary>
    public bool IsValid() => UnconfirmedWindow > TimeSpan.Zero && MaxUnconfirmedHolds >= 1 && BlockFor > TimeSpan.Zero;
}
