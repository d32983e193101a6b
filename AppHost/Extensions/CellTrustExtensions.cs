using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// What a cell's services trust about their callers: the proxies whose <c>X-Forwarded-For</c> gives the client address
/// (API and identity), the key of the device ids the API issues, and rate-limit overrides for every API.
/// </summary>
public static class CellTrustExtensions
{
    /// <summary>Passes the cell file's <c>forwarded_headers</c> as <c>ForwardedHeaders__*</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithClientAddresses(this IResourceBuilder<ProjectResource> project, CellFile cell)
    {
        foreach (var (key, value) in cell.ForwardedHeaders?.Settings() ?? [])
        {
            project.WithEnvironment($"ForwardedHeaders__{key}", value);
        }

        return project;
    }

    /// <summary>
    /// The API's device id key (<c>Abuse__DeviceIdKey</c>, parameter <c>&lt;cell&gt;-device-id-key</c>, generated on first
    /// run like the client secrets), the cell file's request budgets (<see cref="RateLimitSettings"/>) and then
    /// <c>TicketAspire:RateLimiting:&lt;key&gt;</c> as <c>RateLimiting__&lt;key&gt;</c>, which wins over the cell file's
    /// cell-wide budgets (a reseller's own budgets still apply to its requests).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAbuseSettings(
        this IResourceBuilder<ProjectResource> api, IDistributedApplicationBuilder builder, CellFile cell, CellSettings settings)
    {
        var key = builder.AddParameter($"{cell.Id}-device-id-key",
            new GeneratedSecretFile(Path.Combine(settings.DataRoot, $"{cell.Id}-client-secrets", "device-id-key")), secret: true);
        api.WithEnvironment("Abuse__DeviceIdKey", key);
        foreach (var (name, value) in RateLimitSettings(cell))
        {
            api.WithEnvironment(name, value);
        }

        foreach (var setting in builder.Configuration.GetSection("TicketAspire:RateLimiting").AsEnumerable(makePathsRelative: true).Where(s => s.Value is not null))
        {
            api.WithEnvironment($"RateLimiting__{setting.Key.Replace(":", "__", StringComparison.Ordinal)}", setting.Value);
        }

        return api;
    }

    /// <summary>
    /// The cell file's <c>rate_limits</c> as the API's configuration: the cell's as <c>RateLimiting__&lt;Kind&gt;__*</c>,
    /// each reseller's own as <c>Resellers__&lt;id&gt;__RateLimiting__&lt;Kind&gt;__*</c> (applied to that reseller's requests).
    /// </summary>
    public static IEnumerable<(string Name, string Value)> RateLimitSettings(CellFile cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Resellers.Select(r => ($"Resellers__{r.Id}__RateLimiting__", r.RateLimits))
            .Prepend(("RateLimiting__", cell.RateLimits))
            .SelectMany(level => level.Item2?.Settings(level.Item1) ?? []);
    }
}
