namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>Where the cell's identity service is (section <c>Identity</c>; the AppHost passes both).</summary>
public sealed class IdentityServiceOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Identity";

    /// <summary>
    /// Base URL the API fetches discovery documents and keys from, through service discovery (<c>http://eu-identity</c>).
    /// </summary>
    public string MetadataService { get; set; } = "";

    /// <summary>The identity service's public origin: every issuer of the cell is <c>{PublicOrigin}/{reseller}</c> or <c>{PublicOrigin}/platform</c>.</summary>
    public string PublicOrigin { get; set; } = "";
}
