namespace TicketAspire.Api.Infrastructure.Shedding;

/// <summary>
/// Load shedding of one API process, bound from the <c>Shedding</c> section. The load is the largest of: requests in
/// flight ÷ <see cref="MaxInFlight"/>, the moving average of read latency ÷ <see cref="LatencyCeiling"/>, and
/// <see cref="SimulatedLoad"/>. Reads (browsing) are shed from <see cref="BrowseThreshold"/>, writes (holds, payment,
/// confirm) only from <see cref="PurchaseThreshold"/>.
/// </summary>
public sealed class SheddingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Shedding";

    /// <summary><c>false</c> never sheds.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// API requests in flight that count as full load (default 2000 per process: browsing is shed from 1200, purchases
    /// from 1900; the hold path serves about 2000 holds/s per process, so that is a second of queue).
    /// </summary>
    public int MaxInFlight { get; set; } = 2000;

    /// <summary>
    /// Average read latency that counts as full load (default 3 s: browsing is shed from 1.8 s; zero ignores latency). Reads only: they make no calls
    /// outside the cell, so their latency is the cell's own queueing (database pool, CPU).
    /// </summary>
    public TimeSpan LatencyCeiling { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How fast the latency average forgets without new reads (half-life, default 2 s).</summary>
    public TimeSpan LatencyHalfLife { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Load from which reads are shed (default 0.6).</summary>
    public double BrowseThreshold { get; set; } = 0.6;

    /// <summary>Load from which writes are shed too (default 0.95).</summary>
    public double PurchaseThreshold { get; set; } = 0.95;

    /// <summary>The <c>Retry-After</c> of a shed request, in seconds (default 2).</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>An artificial load floor, 0..1 (tests; default 0).</summary>
    public double SimulatedLoad { get; set; }

    /// <summary>Maps <c>GET/PUT /test/shedding</c>, which reads and sets the simulated load at run time (tests only).</summary>
    public bool EnableTestControl { get; set; }

    /// <summary>True when the values are consistent.</summary>
    public bool IsValid() =>
        MaxInFlight >= 1 && LatencyCeiling >= TimeSpan.Zero && LatencyHalfLife > TimeSpan.Zero
        && BrowseThreshold is > 0 and <= 1 && PurchaseThreshold >= BrowseThreshold && PurchaseThreshold <= 1
        && RetryAfterSeconds >= 1 && SimulatedLoad is >= 0 and <= 1;
}
