using TicketAspire.Tenancy;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// The issuer a request addresses, from the first path segment: a reseller of the cell (<c>/acme</c>: its integrators and
/// end users, stored in its own database) or the cell's platform issuer (<c>/platform</c>: support and operator staff
/// clients, stored in the cell catalog). Set once per request by <see cref="IssuerPathBaseMiddleware"/>.
/// </summary>
public sealed class Issuer
{
    /// <summary>Path segment of the platform issuer; no reseller may use this id.</summary>
    public const string PlatformId = "platform";

    private ResellerTenantInfo? _reseller;
    private bool _platform;

    /// <summary>True once the middleware resolved the issuer.</summary>
    public bool IsResolved => _platform || _reseller is not null;

    /// <summary>True for the platform (staff) issuer.</summary>
    public bool IsPlatform => _platform;

    /// <summary>The reseller of a reseller issuer; throws for the platform issuer.</summary>
    public ResellerTenantInfo Reseller => _reseller ?? throw new InvalidOperationException(
        _platform ? "The platform issuer has no reseller." : "No issuer is resolved for this request.");

    /// <summary>The path segment (<c>acme</c>, <c>platform</c>).</summary>
    public string Id => _platform ? PlatformId : Reseller.Id;

    /// <summary>Makes <paramref name="reseller"/> the issuer.</summary>
    public void SetReseller(ResellerTenantInfo reseller)
    {
        ArgumentNullException.ThrowIfNull(reseller);
        (_reseller, _platform) = (reseller, false);
    }

    /// <summary>Makes the platform issuer current.</summary>
    public void SetPlatform() => (_reseller, _platform) = (null, true);
}
