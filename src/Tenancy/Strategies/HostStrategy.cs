using Microsoft.AspNetCore.Http;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Tenancy.Strategies;

/// <summary>
/// Resolves the reseller from the request's host name (public browsing, hosted storefronts). Hosts are listed per
/// reseller in the cell file, so this looks them up instead of parsing a template: custom domains work the same way.
/// </summary>
public sealed class HostStrategy(ITenantHostLookup hosts) : IMultiTenantStrategy
{
    /// <inheritdoc />
    public string Name => "host";

    /// <inheritdoc />
    public int Priority => 100;

    /// <inheritdoc />
    public Task<string?> GetIdentifierAsync(object context)
    {
        if (context is not HttpContext http || !http.Request.Host.HasValue)
        {
            return Task.FromResult<string?>(null);
        }

        return Task.FromResult(hosts.GetIdentifierByHost(NormalizeHost(http.Request.Host.Host)));
    }

    /// <summary>Lower-case host without a trailing dot.</summary>
    public static string NormalizeHost(string host) => host.TrimEnd('.').ToLowerInvariant();
}
