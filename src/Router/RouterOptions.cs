namespace TicketAspire.Router;

/// <summary>
/// The cells behind the router (configuration section <c>Router</c>; the AppHost sets it from the cell files):
/// <c>Router:Cells:eu:Api</c>, <c>…:Identity</c>, optional <c>…:Web</c> (base URLs), and each reseller's hosts,
/// <c>Router:Cells:eu:Resellers:acme:Hosts:0</c> = <c>acme.eu.localhost</c>.
/// </summary>
public sealed class RouterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Router";

    /// <summary>Each cell by id.</summary>
    public Dictionary<string, CellRoute> Cells { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The key the router shows each cell's API (<c>X-Directory-Key</c>) to read its reseller hosts
    /// (<c>/internal/directory</c>); empty: only the hosts of the configuration are served.
    /// </summary>
    public string DirectoryKey { get; set; } = "";

    /// <summary>How often each cell's directory is read (<c>Router:DirectoryInterval</c>): a reseller onboarded at run time is routed within it.</summary>
    public TimeSpan DirectoryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> (seconds) of a <c>503 cell.unavailable</c> answer.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>How often each cell service's <c>/alive</c> is probed (<c>Router:ProbeInterval</c>).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a probe may take before it counts as failed (<c>Router:ProbeTimeout</c>).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a forwarded request may see no activity before it fails with 503 (<c>Router:ActivityTimeout</c>); longer
    /// than the 15 s heartbeat of the API's event streams.
    /// </summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
