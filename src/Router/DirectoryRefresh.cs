using System.Net.Http.Json;
using System.Text.Json;
using Yarp.ReverseProxy.Configuration;

namespace TicketAspire.Router;

/// <summary>
/// Keeps the routes current with the resellers onboarded and offboarded at run time: every
/// <see cref="RouterOptions.DirectoryInterval"/> it reads each cell API's directory (<c>/internal/directory</c>, with
/// <see cref="RouterOptions.DirectoryKey"/>), merges those hosts with the configured ones and, when anything changed,
/// swaps YARP's in-memory configuration (no restart, requests in flight unaffected). A cell that cannot be read keeps its
/// last known hosts; a host another cell already serves is left out (and logged) rather than stopping the router.
/// </summary>
public sealed partial class DirectoryRefresh(
    RouterOptions options,
    InMemoryConfigProvider proxy,
    IHttpClientFactory http,
    TimeProvider time,
    ILogger<DirectoryRefresh> logger) : BackgroundService
{
    /// <summary>The HTTP client name.</summary>
    public const string ClientName = "directory";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Dictionary<string, Dictionary<string, List<string>>> _known = new(StringComparer.Ordinal);
    private string _signature = "";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(options.DirectoryKey))
        {
            return;
        }

        _signature = Signature(options);
        using var timer = new PeriodicTimer(options.DirectoryInterval, time);
        do
        {
            foreach (var (cell, route) in options.Cells)
            {
                if (route.Api is not null && await ReadAsync(cell, route.Api, stoppingToken) is { } resellers)
                {
                    _known[cell] = resellers;
                }
            }

            Apply();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<Dictionary<string, List<string>>?> ReadAsync(string cell, Uri api, CancellationToken ct)
    {
        try
        {
            using var client = http.CreateClient(ClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api, "/internal/directory"));
            request.Headers.Add("X-Directory-Key", options.DirectoryKey);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogUnreadable(logger, cell, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            var directory = await response.Content.ReadFromJsonAsync<Directory>(Json, timeout.Token);
            return directory?.Resellers.ToDictionary(r => r.Id, r => r.Hosts.ToList(), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            LogUnreadable(logger, cell, ex.Message);
            return null;
        }
    }

    /// <summary>The configured cells with the directories' resellers; YARP's configuration swapped if it differs.</summary>
    private void Apply()
    {
        var merged = new RouterOptions
        {
            RetryAfterSeconds = options.RetryAfterSeconds, ProbeInterval = options.ProbeInterval, ProbeTimeout = options.ProbeTimeout,
            ActivityTimeout = options.ActivityTimeout,
        };
        var owner = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (cell, route) in options.Cells)
        {
            var copy = new CellRoute { Api = route.Api, Identity = route.Identity, Web = route.Web };
            copy.PlatformHosts.AddRange(route.PlatformHosts);
            route.PlatformHosts.ForEach(h => owner[h] = cell);
            foreach (var (id, reseller) in route.Resellers)
            {
                var r = new ResellerRoute();
                r.Hosts.AddRange(reseller.Hosts);
                copy.Resellers[id] = r;
                reseller.Hosts.ForEach(h => owner[h] = cell);
            }

            merged.Cells[cell] = copy;
        }

        foreach (var (cell, resellers) in _known.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            foreach (var (id, hosts) in resellers.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                var route = merged.Cells[cell].Resellers.TryGetValue(id, out var existing) ? existing : merged.Cells[cell].Resellers[id] = new ResellerRoute();
                foreach (var host in hosts.Where(h => !route.Hosts.Contains(h, StringComparer.OrdinalIgnoreCase)))
                {
                    if (owner.TryGetValue(host, out var other) && other != cell)
                    {
                        LogDuplicate(logger, host, cell, other);
                        continue;
                    }

                    owner[host] = cell;
                    route.Hosts.Add(host);
                }
            }
        }

        var signature = Signature(merged);
        if (signature == _signature)
        {
            return;
        }

        var (routes, clusters) = RouteTable.Build(merged);
        proxy.Update(routes, clusters);
        _signature = signature;
        LogUpdated(logger, merged.Cells.Sum(c => c.Value.Resellers.Sum(r => r.Value.Hosts.Count)));
    }

    private static string Signature(RouterOptions o) => string.Join(";", o.Cells.OrderBy(c => c.Key, StringComparer.Ordinal)
        .SelectMany(c => c.Value.Resellers.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{c.Key}/{r.Key}={string.Join(',', r.Value.Hosts.Order(StringComparer.OrdinalIgnoreCase))}")));

    private sealed record Directory(List<DirectoryEntry> Resellers);

    private sealed record DirectoryEntry(string Id, List<string> Hosts);

    [LoggerMessage(Level = LogLevel.Information, Message = "routes updated from the cells' directories: {Hosts} hosts")]
    private static partial void LogUpdated(ILogger logger, int hosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "directory of cell {Cell} not readable, keeping its last hosts: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string cell, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host} of cell {Cell} is already served by cell {Other}: left out")]
    private static partial void LogDuplicate(ILogger logger, string host, string cell, string other);
}
