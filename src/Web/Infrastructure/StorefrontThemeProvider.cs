using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The effective theme of a reseller's storefront, read from the API (anonymously, on the reseller's host) and kept
/// <c>Storefront:ThemeCacheSeconds</c> (default 3 s) per reseller, so a change in the console shows within seconds
/// without every page asking. When the API does not answer (2 s at most), the cell file's theme is shown: a page never
/// fails for its theme.
/// </summary>
public sealed partial class StorefrontThemeProvider(TicketApi api, IMemoryCache cache, IConfiguration configuration, ILogger<StorefrontThemeProvider> logger)
{
    /// <summary>The theme of <paramref name="site"/> as its pages show it now.</summary>
    public async Task<StorefrontTheme> ThemeAsync(ResellerSite site, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (cache.TryGetValue(Key(site), out StorefrontTheme? cached) && cached is not null)
        {
            return cached;
        }

        StoredTheme? stored = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var result = await api.StorefrontThemeAsync(site, timeout.Token);
            stored = result.Value;
            if (!result.Ok)
            {
                LogUnavailable(logger, site.Id, $"HTTP {result.Status}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            LogUnavailable(logger, site.Id, ex.Message);
        }

        var theme = StorefrontTheme.Of(site, stored);
        cache.Set(Key(site), theme, configuration.GetValue("Storefront:ThemeCacheSeconds", 3) switch
        {
            > 0 and var seconds => TimeSpan.FromSeconds(seconds),
            _ => TimeSpan.FromMilliseconds(1),
        });
        return theme;
    }

    /// <summary>Forgets the cached theme of <paramref name="site"/> (after the console changed it).</summary>
    public void Forget(ResellerSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        cache.Remove(Key(site));
    }

    private static string Key(ResellerSite site) => "storefront-theme:" + site.Id;

    [LoggerMessage(Level = LogLevel.Warning, Message = "the storefront theme of {Reseller} is not readable, showing the cell file's: {Error}")]
    private static partial void LogUnavailable(ILogger logger, string reseller, string error);
}
