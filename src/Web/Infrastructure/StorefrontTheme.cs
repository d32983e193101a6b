namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The theme a storefront page shows: what the reseller set in its console (the API's <c>/v1/storefront/theme</c>) over
/// the defaults of <see cref="ResellerSite"/> (the cell file's theme).
/// </summary>
public sealed record StorefrontTheme(string Name, string Primary, string Secondary, string? Tagline, string? FooterText, string? LogoUrl)
{
    /// <summary>The defaults of <paramref name="site"/>, each replaced by what <paramref name="stored"/> sets.</summary>
    public static StorefrontTheme Of(ResellerSite site, StoredTheme? stored)
    {
        ArgumentNullException.ThrowIfNull(site);
        return new StorefrontTheme(
            stored?.Name ?? site.Name, stored?.Primary ?? site.Primary, stored?.Secondary ?? site.Secondary,
            stored?.Tagline ?? site.Tagline, stored?.FooterText, stored?.Logo?.Url);
    }
}

/// <summary>The theme as the API stores it: a null field is the default.</summary>
public sealed record StoredTheme(string? Name, string? Primary, string? Secondary, string? Tagline, string? FooterText, StoredLogo? Logo, DateTimeOffset? UpdatedAt);

/// <summary>The stored logo: its URL on the reseller's host (the API's, through the cell router), type and size.</summary>
public sealed record StoredLogo(string Url, string ContentType, int Length, string Sha256);
