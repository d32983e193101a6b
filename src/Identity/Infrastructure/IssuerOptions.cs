namespace TicketAspire.Identity.Infrastructure;

/// <summary>How the cell's issuers are addressed from outside (section <c>IssuerOptions</c>).</summary>
public sealed class IssuerOptions
{
    /// <summary>
    /// The origin clients use (<c>http://localhost:5102</c>, <c>https://id.eu.example</c>). Issuers are
    /// <c>{PublicOrigin}/{reseller}</c> whatever host or port a request arrived on (a proxy, service discovery), so
    /// tokens, discovery documents and the API's issuer check agree. Unset: taken from each request.
    /// </summary>
    public string? PublicOrigin { get; set; }
}
