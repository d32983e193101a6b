using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The cell router (resource <c>router</c>) in front of both local cells: a reseller's host reaches its own cell's
/// identity and API, an unknown host gets 404, and with one cell's API stopped only that cell's resellers get 503.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RouterTests(PlatformFixture platform, ITestOutputHelper output)
{
    private HttpClient RouterClient(string host, string? token = null)
    {
        var client = new HttpClient { BaseAddress = platform.App.GetEndpoint("router", "http"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Host = host;
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private async Task<HttpClient> RoutedIntegratorAsync(string cell, string reseller)
    {
        var host = $"{reseller}.{cell}.localhost";
        using var identity = RouterClient(host);
        var token = await Tokens.ClientCredentialsAsync(identity, reseller, $"{reseller}-backend", PlatformFixture.ClientSecret(reseller), Tokens.AllIntegratorScopes);
        return RouterClient(host, token);
    }

    [Fact]
    public async Task Each_resellers_host_reaches_its_own_cell()
    {
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("router").WaitAsync(TimeSpan.FromMinutes(1));
        foreach (var (cell, reseller) in new[] { ("eu", "acme"), ("us", "initech") })
        {
            // identity: the reseller's issuer of that cell (its discovery document and a token, through the router)
            using var anonymous = RouterClient($"{reseller}.{cell}.localhost");
            var discovery = await anonymous.GetJsonAsync($"/{reseller}/.well-known/openid-configuration");
            Assert.Equal($"{platform.App.GetEndpoint($"{cell}-identity", "http").GetLeftPart(UriPartial.Authority)}/{reseller}", (string)discovery["issuer"]!);

            // API: an event created through the router exists in that cell, and only there
            using var routed = await RoutedIntegratorAsync(cell, reseller);
            var (created, _) = await routed.CreateReservedEventAsync($"Routed {cell} {Guid.NewGuid()}", 1, 2);
            using var direct = platform.ResellerClient(cell, $"{reseller}.{cell}.localhost");
            await direct.GetJsonAsync($"/v1/events/{created.Id()}");
            var other = cell == "eu" ? ("us", "initech") : ("eu", "acme");
            using var elsewhere = platform.ResellerClient(other.Item1, $"{other.Item2}.{other.Item1}.localhost");
            await elsewhere.GetJsonAsync($"/v1/events/{created.Id()}", HttpStatusCode.NotFound);
            Assert.Equal(created.Id(), (await anonymous.GetJsonAsync($"/v1/events/{created.Id()}")).Id());
        }
    }

    [Fact]
    public async Task An_unknown_host_gets_404_problem_details()
    {
        using var client = RouterClient("nobody.example");
        using var response = await client.GetAsync("/v1/event-types");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("tenancy.unresolved", (string)problem["code"]!);
        Assert.Equal(404, (int)problem["status"]!);
    }

    [Fact]
    public async Task A_stopped_cell_fails_only_its_own_resellers()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("router", cts.Token);
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var usApi = platform.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "us-api");
        using var acme = RouterClient("acme.eu.localhost");
        using var initech = RouterClient("initech.us.localhost");
        foreach (var client in new[] { acme, initech })
        {
            using var served = await Eventually.GetAsync(() => AnswerAsync(client, HttpStatusCode.OK, cts.Token), "both cells served", TimeSpan.FromSeconds(60));
        }

        // the cell's API goes down hard: every replica's process tree is killed (a graceful stop can outlast the
        // orchestrator's stop timeout on a loaded machine, and a crash is what a router has to survive anyway)
        var pids = await ApiProcessIdsAsync("us-api", 2, cts.Token);
        try
        {
            foreach (var pid in pids)
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }

            await platform.App.ResourceNotifications.WaitForResourceAsync("us-api", KnownResourceStates.TerminalStates, cts.Token);
            using var down = await Eventually.GetAsync(() => AnswerAsync(initech, HttpStatusCode.ServiceUnavailable, cts.Token), "503 for initech", TimeSpan.FromSeconds(90));
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);
            var problem = JsonNode.Parse(await down.Content.ReadAsStringAsync(cts.Token))!;
            Assert.Equal(("cell.unavailable", "us"), ((string)problem["code"]!, (string)problem["cell"]!));

            // the other cell's resellers are served all along, reads and token-authenticated writes alike
            for (var i = 0; i < 10; i++)
            {
                await acme.GetJsonAsync("/v1/event-types");
            }

            using var writer = await RoutedIntegratorAsync("eu", "acme");
            await writer.CreateReservedEventAsync($"During us outage {Guid.NewGuid()}", 1, 1);
            using var stillDown = await initech.GetAsync("/v1/events", cts.Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stillDown.StatusCode);
        }
        finally
        {
            await RestartAsync(commands, usApi, cts.Token);
        }

        using var back = await Eventually.GetAsync(() => AnswerAsync(initech, HttpStatusCode.OK, cts.Token), "initech served again", TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Starts a killed resource again and waits until it is healthy. A start the orchestrator reports as failed is tried
    /// once more (as an operator would), after recording why in the test output: the failed replicas' last log lines.
    /// </summary>
    private async Task RestartAsync(ResourceCommandService commands, IResource resource, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var start = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, ct);
            Assert.True(start.Success, start.Message);
            try
            {
                await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, ct);
                return;
            }
            catch (Aspire.Hosting.DistributedApplicationException ex) when (attempt == 1)
            {
                output.WriteLine($"start {attempt} of {resource.Name}: {ex.Message}");
                var loggers = platform.App.Services.GetRequiredService<ResourceLoggerService>();
                var replicas = new HashSet<string>(StringComparer.Ordinal);
                using (var watch = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    watch.CancelAfter(TimeSpan.FromSeconds(2));
                    try
                    {
                        await foreach (var e in platform.App.ResourceNotifications.WatchAsync(watch.Token))
                        {
                            if (e.Resource.Name == resource.Name && replicas.Add(e.ResourceId))
                            {
                                output.WriteLine($"{e.ResourceId}: {e.Snapshot.State?.Text} exit code {e.Snapshot.ExitCode}");
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                    }
                }

                foreach (var replica in replicas)
                {
                    await foreach (var batch in loggers.GetAllAsync(replica).WithCancellation(ct))
                    {
                        foreach (var line in batch.TakeLast(40))
                        {
                            output.WriteLine($"{replica}: {line.Content}");
                        }
                    }
                }
            }
        }
    }

    /// <summary>The process ids of the running replicas of a project resource, from their resource snapshots.</summary>
    private async Task<IReadOnlyList<int>> ApiProcessIdsAsync(string resource, int count, CancellationToken ct)
    {
        var pids = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var e in platform.App.ResourceNotifications.WatchAsync(ct))
        {
            if (e.Resource.Name == resource && e.Snapshot.State?.Text == KnownResourceStates.Running
                && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
                && int.TryParse(value.ToString(), out var pid))
            {
                pids[e.ResourceId] = pid;
                if (pids.Count >= count)
                {
                    break;
                }
            }
        }

        return [.. pids.Values];
    }

    /// <summary>The answer to <c>GET /v1/event-types</c> when it has the status, else null (disposed).</summary>
    private static async Task<HttpResponseMessage?> AnswerAsync(HttpClient client, HttpStatusCode status, CancellationToken ct)
    {
        var response = await client.GetAsync("/v1/event-types", ct);
        if (response.StatusCode == status)
        {
            return response;
        }

        response.Dispose();
        return null;
    }
}
