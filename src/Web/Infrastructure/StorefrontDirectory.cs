using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;

using TicketAspire.Web.Extensions;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// Keeps the storefront's resellers current with the ones onboarded and offboarded at run time: every
/// <c>Storefront:DirectoryInterval</c> (default 5 s) it reads the cell API's directory (<c>/internal/directory</c>, with
/// <c>Directory:Key</c>), serves every reseller listed on its hosts, and adds the sign-in scheme of each new one
/// (<c>oidc-&lt;id&gt;</c>, its issuer at the cell's identity service). Without a key it serves the configured resellers
/// only. An unreadable directory keeps the last known resellers.
/// </summary>
public sealed partial class StorefrontDirectory(
    ResellerResolver resellers,
    IAuthenticationSchemeProvider schemes,
    IHttpClientFactory http,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<StorefrontDirectory> logger) : BackgroundService
{
    /// <summary>Name of the HTTP client (the cell's API through service discovery).</summary>
    public const string ClientName = "directory";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var key = configuration["Directory:Key"];
        if (string.IsNullOrEmpty(key))
        {
            return;
        }

        var interval = configuration.GetValue("Storefront:DirectoryInterval", TimeSpan.FromSeconds(5));
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            if (await ReadAsync(key, stoppingToken) is { } directory)
            {
                foreach (var site in resellers.Update(directory.Resellers.Select(r => (r.Id, r.Name ?? r.Id, (IReadOnlyList<string>)r.Hosts))))
                {
                    var name = ResellerOpenIdConnectHandler.SchemeOf(site.Id);
                    if (await schemes.GetSchemeAsync(name) is null)
                    {
                        schemes.AddScheme(new AuthenticationScheme(name, site.Name, typeof(ResellerOpenIdConnectHandler)));
                    }

                    var console = ConsoleAuthentication.SchemeOf(site.Id);
                    if (await schemes.GetSchemeAsync(console) is null)
                    {
                        schemes.AddScheme(new AuthenticationScheme(console, site.Name, typeof(ConsoleOpenIdConnectHandler)));
                    }

                    LogServing(logger, site.Id, string.Join(", ", site.Hosts));
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<Directory?> ReadAsync(string key, CancellationToken ct)
    {
        try
        {
            using var client = http.CreateClient(ClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/directory");
            request.Headers.Add("X-Directory-Key", key);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogUnreadable(logger, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            return await response.Content.ReadFromJsonAsync<Directory>(Json, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            LogUnreadable(logger, ex.Message);
            return null;
        }
    }

    private sealed record Directory(List<DirectoryEntry> Resellers);

    private sealed record DirectoryEntry(string Id, string? Name, List<string> Hosts);

    [LoggerMessage(Level = LogLevel.Information, Message = "serving reseller {Reseller} on {Hosts}")]
    private static partial void LogServing(ILogger logger, string reseller, string hosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the cell's directory is not readable, keeping the last known resellers: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string error);
}
