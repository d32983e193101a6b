using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Tenancy.Security;

namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>
/// What makes a signature-valid token acceptable here. One signing key serves the whole cell, so a token is
/// cryptographically valid for every reseller of it: separation is these rules. The issuer must be one of this cell's
/// (<c>{origin}/{reseller of the catalog}</c> or <c>{origin}/platform</c>), and the token's claims must match its issuer:
/// a reseller issuer's tokens name that reseller and are an integrator's, an end user's or a guest's; the platform issuer's are
/// staff tokens without a reseller.
/// </summary>
public sealed class TokenRules(string publicOrigin, SnapshotStore resellers)
{
    /// <summary>Path segment of the platform (staff) issuer.</summary>
    public const string PlatformIssuer = "platform";

    private readonly string _prefix = publicOrigin.TrimEnd('/') + "/";

    /// <summary>The issuer of <paramref name="resellerOrPlatform"/>.</summary>
    public string IssuerOf(string resellerOrPlatform) => _prefix + resellerOrPlatform;

    /// <summary>JwtBearer's issuer validator: returns the issuer or throws.</summary>
    public string ValidateIssuer(string issuer)
    {
        var segment = Segment(issuer);
        if (segment is PlatformIssuer || (segment is not null && resellers.Find(segment) is not null))
        {
            return issuer;
        }

        throw new SecurityTokenInvalidIssuerException($"'{issuer}' is not an issuer of this cell.");
    }

    /// <summary>Null when the token's claims agree with its issuer; else why not.</summary>
    public string? CheckClaims(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var segment = Segment(principal.FindFirst("iss")?.Value);
        var reseller = principal.FindFirst(TokenClaims.Reseller)?.Value;
        var kind = principal.FindFirst(TokenClaims.Kind)?.Value;
        if (principal.FindFirst("sub")?.Value is not { Length: > 0 })
        {
            return "The token has no subject.";
        }

        return segment switch
        {
            null => "The token's issuer is not an issuer of this cell.",
            PlatformIssuer when reseller is null && kind == TokenClaims.Staff => null,
            PlatformIssuer => "A platform token must be a staff token without a reseller.",
            _ when reseller == segment && kind is TokenClaims.Integrator or TokenClaims.Customer or TokenClaims.Guest => null,
            _ => "The token's reseller does not match its issuer.",
        };
    }

    private string? Segment(string? issuer) =>
        issuer is not null && issuer.StartsWith(_prefix, StringComparison.Ordinal) && issuer.Length > _prefix.Length
            && issuer.IndexOf('/', _prefix.Length) < 0
            ? issuer[_prefix.Length..]
            : null;
}
