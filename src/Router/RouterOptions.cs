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

    /// <summary>The <c>Retry-After</c> (seconds) of a <c>503 cell.unavailable</c> answer.</summary>
    public int RetryAfterSeconds { get; set; } = 5;
}
