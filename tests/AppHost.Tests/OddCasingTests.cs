using System.Text;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Routing ignores letter case, so <c>/V1/EvEnTs</c> is the same endpoint as <c>/v1/events</c> and must pass the same
/// pipeline. Every endpoint of the API (from its endpoint data source) is called with its canonical path and with odd
/// casing, anonymously and with tokens that must be refused, and must answer the same status, never a 5xx.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OddCasingTests(PlatformFixture platform)
{
    [Fact]
    public async Task Every_endpoint_answers_odd_casing_as_it_answers_the_canonical_path()
    {
        var endpoints = await ApiEndpoints.ListAsync(platform);
        var acme = await platform.IntegratorTokenAsync("eu", "acme");
        var readOnly = await platform.IntegratorTokenAsync("eu", "acme", "inventory:read");
        var failures = new List<string>();
        var anonymousWrites = 0;
        foreach (var (method, pattern, name, _) in endpoints)
        {
            var canonical = ApiEndpoints.Fill(pattern, _ => Guid.NewGuid().ToString());
            var odd = OddCase(canonical);
            var callers = new List<(string Who, string Host, string? Token)>
            {
                ("acme's token on globex's host", "globex.eu.localhost", acme),
                ("acme's inventory:read token", "acme.eu.localhost", readOnly),
                ("acme's integrator", "acme.eu.localhost", acme),
            };
            // anonymous writes share one small budget per address with every other test: a few are enough
            if (method == "GET" || anonymousWrites++ < 5)
            {
                callers.Add(("anonymous", "acme.eu.localhost", null));
            }

            foreach (var (who, host, token) in callers)
            {
                var expected = await StatusAsync(method, canonical, host, token);
                var actual = await StatusAsync(method, odd, host, token);
                if (actual != expected || (int)actual >= 500)
                {
                    failures.Add($"{name} as {who}: {method} {canonical} → {(int)expected}, {odd} → {(int)actual}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every other letter flipped: <c>/v1/events/ab12…</c> → <c>/V1/eVeNtS/Ab12…</c>.</summary>
    public static string OddCase(string path)
    {
        var text = new StringBuilder(path.Length);
        var flip = false;
        foreach (var c in path)
        {
            text.Append(char.IsAsciiLetter(c) && (flip = !flip) ? char.ToUpperInvariant(c) : c);
        }

        return text.ToString();
    }

    private async Task<HttpStatusCode> StatusAsync(string method, string path, string host, string? token)
    {
        using var http = token is null ? platform.ResellerClient("eu", host) : platform.ResellerClient("eu", host, token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        // streams never end: the status line is the answer
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
