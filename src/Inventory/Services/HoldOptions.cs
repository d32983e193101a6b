namespace TicketAspire.Inventory.Services;

/// <summary>Bounds of holds.</summary>
public sealed class HoldOptions
{
    /// <summary>Expiry when the request gives none.</summary>
    public int DefaultExpireSeconds { get; set; } = 600;

    /// <summary>Shortest allowed expiry.</summary>
    public int MinExpireSeconds { get; set; } = 1;

    /// <summary>Longest allowed expiry.</summary>
    public int MaxExpireSeconds { get; set; } = 3600;

    /// <summary>Most seats or tickets one hold may take.</summary>
    public int MaxSeatsPerHold { get; set; } = 50;
}
