namespace TicketAspire.Router;

/// <summary>A reseller's host names (from its cell file).</summary>
public sealed class ResellerRoute
{
    /// <summary>Host names without port (<c>acme.eu.localhost</c>).</summary>
    public List<string> Hosts { get; } = [];
}
