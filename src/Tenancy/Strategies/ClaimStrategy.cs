using Microsoft.AspNetCore.Http;

namespace TicketAspire.Tenancy.Strategies;

/// <summary>
/// Resolves the reseller from a claim of the authenticated user (a validated token). Runs before the host strategy;
/// when both produce an identifier they must agree, or the request has no tenant.
/// </summary>
public sealed class ClaimStrategy(string claimType = ClaimStrategy.DefaultClaimType) : IMultiTenantStrategy
{
    /// <summary>The claim a TicketAspire token carries the reseller id in.</summary>
    public const string DefaultClaimType = "reseller";

    /// <inheritdoc />
    public string Name => "claim";

    /// <inheritdoc />
    public int Priority => 200;

    /// <inheritdoc />
    public Task<string?> GetIdentifierAsync(object context)
    {
        if (context is HttpContext { User.Identity.IsAuthenticated: true } http)
        {
            return Task.FromResult(http.User.FindFirst(claimType)?.Value);
        }

        return Task.FromResult<string?>(null);
    }
}
