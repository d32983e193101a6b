using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TicketAspire.AppHost.Extensions;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Reseller onboarding and offboarding without a restart (docs/onboarding.md): an operator registers a reseller with its
/// billing information, the cell's provisioner creates and migrates its database, starts its own Redis server, registers
/// its identity clients and its hosts, and the reseller completes a paid order through its new credentials within 60 s,
/// while an existing reseller's traffic (holds, releases and seat maps in a loop) sees no error; its latency before and
/// during is printed. Offboarding exports the data, then the database and the Redis server are gone and the host is 404.
/// </summary>
public sealed class OnboardingTests(OnboardingFixture cell, ITestOutputHelper output) : IClassFixture<OnboardingFixture>
{
    private static object Registration(string id, string host, string iban = "DE89 3704 0044 0532 0130 00", string taxId = "DE123456789") => new
    {
        id,
        name = $"{id} tickets",
        hosts = new[] { host },
        contact_email = $"billing@{id}.example",
        billing = new
        {
            legal_name = $"{id} Ticketing GmbH",
            address = new { line1 = "Friedrichstraße 1", city = "Berlin", postal_code = "10117", country = "DE" },
            tax_id = taxId,
            payout = new { account_holder = $"{id} Ticketing GmbH", iban, bic = "COBADEFFXXX" },
        },
    };

    [Fact]
    public async Task A_reseller_onboarded_at_run_time_sells_within_60_seconds_without_disturbing_another_and_offboarding_removes_it()
    {
        const string id = "fabrikam", host = "fabrikam.eu.localhost";
        using var operatorApi = await cell.OperatorClientAsync();
        using var identity = cell.IdentityClient();
        var acmeToken = await Tokens.ClientCredentialsAsync(identity, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), Tokens.AllIntegratorScopes);
        using var acme = cell.ApiClient("acme.eu.localhost", acmeToken);
        var (loadEvent, seats) = await acme.CreateReservedEventAsync($"Load {Guid.NewGuid()}", 10, 20);

        // before: the new host is nobody's
        using (var unknown = cell.ApiClient(host))
        {
            await unknown.GetJsonAsync("/v1/event-types", HttpStatusCode.NotFound);
        }

        // an existing reseller's traffic, measured before and during the onboarding
        var load = new LoadLoop(acme, loadEvent.Id(), seats);
        using var stopLoad = new CancellationTokenSource();
        var loop = load.RunAsync(workers: 4, stopLoad.Token);
        await Task.Delay(TimeSpan.FromSeconds(15));
        load.Mark("during");

        // onboarding: from the operator's request to the new reseller's first paid order
        var sw = Stopwatch.StartNew();
        var accepted = await operatorApi.PostJsonAsync("/v1/admin/resellers", Registration(id, host), HttpStatusCode.Accepted);
        var secret = (string)accepted["integrator"]!["client_secret"]!;
        Assert.Equal($"{id}-backend", (string)accepted["integrator"]!["client_id"]!);
        var token = await Eventually.GetAsync(async () =>
        {
            using var response = await Tokens.RequestAsync(identity, id, new()
            {
                ["grant_type"] = "client_credentials", ["client_id"] = $"{id}-backend", ["client_secret"] = secret, ["scope"] = Tokens.AllIntegratorScopes,
            });
            return response.IsSuccessStatusCode ? (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"] : null;
        }, "a token of the new reseller", TimeSpan.FromSeconds(60));
        var tokenAt = sw.Elapsed;
        using var fabrikam = cell.ApiClient(host, token);
        var (created, fabrikamSeats) = await Eventually.GetAsync(async () =>
        {
            using var response = await fabrikam.PostAsJsonAsync("/v1/events", Api.ReservedEvent("Opening night", 1, 4), Api.Json);
            return response.StatusCode == HttpStatusCode.Created ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
        }, "the new reseller's first event", TimeSpan.FromSeconds(30)) is var e
            ? (e, (await fabrikam.GetJsonAsync($"/v1/events/{e.Id()}/seats"))["seats"]!.AsArray().Select(s => (string)s!["id"]!).ToList())
            : default;
        var hold = await fabrikam.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "first-buyer", seat_ids = fabrikamSeats.Take(2) }, HttpStatusCode.Created);
        var order = await fabrikam.PayAndConfirmAsync(hold.Id());
        var paidAt = sw.Elapsed;
        Assert.Equal(2, order["tickets"]!.AsArray().Count);
        load.Mark("after");
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stopLoad.CancelAsync();
        await loop;

        // the job completes once every API replica and the identity service have served the new reseller for the
        // services' catalog check (it may still be confirming that while the first replica already sells)
        var status = await Eventually.GetAsync(async () =>
        {
            var current = await operatorApi.GetJsonAsync($"/v1/admin/resellers/{id}/provisioning");
            return (string?)current["state"] == "running" ? null : current;
        }, "the onboarding job to finish", TimeSpan.FromSeconds(60));
        Assert.Equal(("onboard", "completed"), ((string)status["kind"]!, (string)status["state"]!));
        var steps = status["steps"]!.AsArray().Select(s => $"{s!["name"]} {s["elapsed_ms"]} ms").ToList();
        output.WriteLine($"onboarding: provisioning completed in {status["elapsed_ms"]} ms ({string.Join(", ", steps)})");
        output.WriteLine($"onboarding: token after {tokenAt.TotalSeconds:F1} s, first paid order after {paidAt.TotalSeconds:F1} s");
        foreach (var line in load.Report())
        {
            output.WriteLine(line);
        }

        Assert.True(paidAt < TimeSpan.FromSeconds(60), $"the first paid order took {paidAt.TotalSeconds:F1} s");
        Assert.True(load.Errors.Count == 0, $"the existing reseller's traffic saw errors: {string.Join("; ", load.Errors.Take(10))}");
        Assert.True(load.Count("during") > 0, "no load was measured during the onboarding");

        // its own database (with its own login role), its own Redis server, its host through the router too
        string redisEndpoint;
        await using (var catalog = await cell.OpenDatabaseAsync("catalog"))
        {
            await using var cmd = new Npgsql.NpgsqlCommand("SELECT redis_endpoint, origin, database_name FROM resellers WHERE id = $1", catalog) { Parameters = { new() { Value = id } } };
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            (redisEndpoint, var origin, var database) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            Assert.Equal(("onboarded", "reseller_fabrikam"), (origin, database));
        }

        var redisPort = int.Parse(redisEndpoint[(redisEndpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await PingAsync(redisPort), $"the new reseller's Redis at {redisEndpoint} does not answer");
        Assert.NotEqual(cell.App.GetEndpoint("eu-acme-redis", "tcp").Port, redisPort);
        using (var routed = cell.RouterClient(host))
        {
            await Eventually.GetAsync(async () =>
            {
                using var response = await routed.GetAsync($"/v1/events/{created.Id()}");
                return response.IsSuccessStatusCode ? "ok" : null;
            }, "the router serving the new host", TimeSpan.FromSeconds(15));

            // the hosted storefront serves it too, under its registered name, and signs its buyers in at its own issuer
            var home = Stopwatch.StartNew();
            await Eventually.GetAsync(async () =>
            {
                using var response = await routed.GetAsync("/");
                return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains($"Events at {id} tickets", StringComparison.Ordinal) ? "ok" : null;
            }, "the storefront serving the new host", TimeSpan.FromSeconds(30));
            output.WriteLine($"onboarding: the storefront served {host} {home.Elapsed.TotalSeconds:F1} s after the API did");
            using var noRedirect = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = cell.App.GetEndpoint("router", "http") };
            noRedirect.DefaultRequestHeaders.Host = host;
            using var login = await noRedirect.GetAsync("/account/login");
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Contains($"/{id}/connect/authorize", login.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.Contains($"client_id={id}-storefront", login.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        // offboarding: exported, then the database and the Redis server are gone and the host is nobody's again
        var offboard = Stopwatch.StartNew();
        using (var response = await operatorApi.DeleteAsync($"/v1/admin/resellers/{id}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var done = await Eventually.GetAsync(async () =>
        {
            var s = await operatorApi.GetJsonAsync($"/v1/admin/resellers/{id}/provisioning");
            Assert.NotEqual("failed", (string)s["state"]!);
            return (string)s["kind"]! == "offboard" && (string)s["state"]! == "completed" ? s : null;
        }, "the offboarding", TimeSpan.FromSeconds(60));
        output.WriteLine($"offboarding: completed in {offboard.Elapsed.TotalSeconds:F1} s ({string.Join(", ", done["steps"]!.AsArray().Select(s => $"{s!["name"]} {s["elapsed_ms"]} ms"))})");
        var export = done["export"]!;
        Assert.True(File.Exists((string)export["path"]!), $"no export at {export["path"]}");
        Assert.True((long)export["bytes"]! > 1000);
        Assert.True(File.Exists(Path.ChangeExtension((string)export["path"]!, ".catalog.json")));
        output.WriteLine($"offboarding: export {export["path"]} ({export["bytes"]} bytes)");

        await using (var server = await cell.OpenDatabaseAsync("postgres"))
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                "SELECT (SELECT count(*) FROM pg_database WHERE datname = 'reseller_fabrikam') + (SELECT count(*) FROM pg_roles WHERE rolname = 'reseller_fabrikam')", server);
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }

        Assert.False(await PingAsync(redisPort), "the offboarded reseller's Redis still answers");
        foreach (var client in new[] { cell.ApiClient(host), cell.RouterClient(host) })
        {
            using (client)
            {
                var problem = await Eventually.GetAsync(async () =>
                {
                    using var response = await client.GetAsync("/v1/event-types");
                    return response.StatusCode == HttpStatusCode.NotFound ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
                }, "404 on the offboarded host", TimeSpan.FromSeconds(15));
                Assert.Equal("tenancy.unresolved", (string)problem["code"]!);
            }
        }

        // and the issuer is gone: its token endpoint is unknown
        using (var tokenResponse = await Tokens.RequestAsync(identity, id, new() { ["grant_type"] = "client_credentials", ["client_id"] = $"{id}-backend", ["client_secret"] = secret }))
        {
            Assert.Equal(HttpStatusCode.NotFound, tokenResponse.StatusCode);
        }
    }

    [Fact]
    public async Task Registrations_are_validated_conflicts_refused_applications_approved_or_rejected_and_every_operator_action_audited()
    {
        using var operatorApi = await cell.OperatorClientAsync();
        using var identity = cell.IdentityClient();

        // 400: fields missing; 422: present but unacceptable (IBAN checksum, tax id of another country); 409: taken
        var missing = await operatorApi.PostJsonAsync("/v1/admin/resellers", new { id = "contoso" }, HttpStatusCode.BadRequest);
        Assert.Equal("validation", (string)missing["code"]!);
        var invalid = await operatorApi.PostJsonAsync("/v1/admin/resellers",
            Registration("contoso", "contoso.eu.localhost", iban: "DE89 3704 0044 0532 0130 01", taxId: "FR123456789"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("registration.invalid", (string)invalid["code"]!);
        Assert.Equal(["billing.payout.iban", "billing.tax_id"], invalid["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("reseller.exists", (string)(await operatorApi.PostJsonAsync("/v1/admin/resellers", Registration("acme", "acme2.eu.localhost"), HttpStatusCode.Conflict))["code"]!);
        Assert.Equal("host.taken", (string)(await operatorApi.PostJsonAsync("/v1/admin/resellers", Registration("contoso", "acme.eu.localhost"), HttpStatusCode.Conflict))["code"]!);
        using (var response = await operatorApi.DeleteAsync("/v1/admin/resellers/acme"))
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("reseller.in_cell_file", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var response = await operatorApi.DeleteAsync("/v1/admin/resellers/nobody"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // a reseller's integrator is no operator
        var acmeToken = await Tokens.ClientCredentialsAsync(identity, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), Tokens.AllIntegratorScopes);
        using (var acme = cell.ApiClient("acme.eu.localhost", acmeToken))
        {
            await acme.PostJsonAsync("/v1/admin/resellers", Registration("contoso", "contoso.eu.localhost"), HttpStatusCode.Forbidden);
        }

        // self-registration: anyone may apply, validated; the id is then taken for other applicants
        using var anonymous = cell.ApiClient("localhost");
        var applied = await anonymous.PostJsonAsync("/v1/reseller-applications", Registration("contoso", "contoso.eu.localhost"), HttpStatusCode.Accepted);
        Assert.Equal("pending", (string)applied["state"]!);
        await anonymous.PostJsonAsync("/v1/reseller-applications", Registration("contoso", "contoso2.eu.localhost"), HttpStatusCode.Conflict);
        await anonymous.PostJsonAsync("/v1/reseller-applications", Registration("northwind", "northwind.eu.localhost", iban: "DE00 0000"), HttpStatusCode.UnprocessableEntity);
        var rejected = await anonymous.PostJsonAsync("/v1/reseller-applications", Registration("northwind", "northwind.eu.localhost"), HttpStatusCode.Accepted);

        var pending = (await operatorApi.GetJsonAsync("/v1/admin/reseller-applications"))["applications"]!.AsArray();
        Assert.Contains(pending, a => (string)a!["reseller_id"]! == "contoso" && (string)a["registration"]!["billing"]!["payout"]!["iban"]! == "DE89370400440532013000");
        await operatorApi.PostJsonAsync($"/v1/admin/reseller-applications/{rejected.Id()}/reject", new { reason = "no trading history" }, HttpStatusCode.OK);
        await operatorApi.PostJsonAsync($"/v1/admin/reseller-applications/{rejected.Id()}/reject", new { reason = "twice" }, HttpStatusCode.Conflict);

        // approval starts the onboarding; the integrator's secret is in this answer only
        var approved = await operatorApi.PostJsonAsync($"/v1/admin/reseller-applications/{applied.Id()}/approve", new { }, HttpStatusCode.Accepted);
        await operatorApi.PostJsonAsync($"/v1/admin/reseller-applications/{applied.Id()}/approve", new { }, HttpStatusCode.Conflict);
        var secret = (string)approved["integrator"]!["client_secret"]!;
        await Eventually.GetAsync(async () =>
        {
            var s = await operatorApi.GetJsonAsync("/v1/admin/resellers/contoso/provisioning");
            Assert.NotEqual("failed", (string)s["state"]!);
            return (string)s["state"]! == "completed" ? s : null;
        }, "contoso's onboarding", TimeSpan.FromSeconds(60));
        var token = await Tokens.ClientCredentialsAsync(identity, "contoso", "contoso-backend", secret, Tokens.AllIntegratorScopes);
        using (var contoso = cell.ApiClient("contoso.eu.localhost", token))
        {
            await contoso.PostJsonAsync("/v1/events", Api.ReservedEvent("Contoso live", 1, 2), HttpStatusCode.Created);
        }

        Assert.Contains("contoso", (await operatorApi.GetJsonAsync("/v1/admin/resellers"))["resellers"]!.AsArray().Select(r => (string)r!["id"]!));
        var decided = (await operatorApi.GetJsonAsync("/v1/admin/reseller-applications?state=approved"))["applications"]!.AsArray();
        Assert.Contains(decided, a => (string)a!["reseller_id"]! == "contoso" && (string)a["decided_by"]! == "eu-operator");

        // a few applications an hour per client address
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await anonymous.PostAsJsonAsync("/v1/reseller-applications", Registration($"flood-{i}", $"flood-{i}.eu.localhost"), Api.Json);
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        // every operator action is in the cell's operator audit, with its outcome
        var audit = (await operatorApi.GetJsonAsync("/v1/admin/audit?size=100"))["entries"]!.AsArray()
            .Select(e => ((string)e!["action"]!, (int?)e["status"], (string?)e["client_id"])).ToList();
        foreach (var (action, status) in new[] { ("OnboardReseller", 422), ("OnboardReseller", 409), ("OffboardReseller", 409), ("RejectResellerApplication", 200),
                     ("ApproveResellerApplication", 202), ("ApproveResellerApplication", 409), ("ListResellerApplications", 200) })
        {
            Assert.Contains((action, status, "eu-operator"), audit.Select(a => (a.Item1, a.Item2 ?? 0, a.Item3)));
        }
    }

    [Fact]
    public async Task An_operator_onboards_a_reseller_with_the_dashboards_command()
    {
        const string id = "tailspin", host = "tailspin.eu.localhost";
        var commands = cell.App.Services.GetRequiredService<ResourceCommandService>();
        static InteractionInputCollection Arguments(string iban) => new([.. new Dictionary<string, string>
        {
            ["id"] = id, ["name"] = "Tailspin Tickets", ["hosts"] = host, ["contact_email"] = "billing@tailspin.example",
            ["legal_name"] = "Tailspin Ticketing GmbH", ["address_line1"] = "Friedrichstraße 1", ["city"] = "Berlin", ["postal_code"] = "10117",
            ["country"] = "DE", ["tax_id"] = "DE123456789", ["account_holder"] = "Tailspin Ticketing GmbH", ["iban"] = iban, ["bic"] = "COBADEFFXXX",
        }.Select(kv => new InteractionInput { Name = kv.Key, Label = kv.Key, InputType = InputType.Text, Value = kv.Value })]);

        // the API's validation, in words, in the dashboard
        var refused = await commands.ExecuteCommandAsync("eu-provisioner", OnboardingCommand.Name, Arguments("DE00 0000"), CancellationToken.None);
        Assert.False(refused.Success);
        Assert.Contains("HTTP 422", refused.Message ?? "", StringComparison.Ordinal);
        Assert.Contains("iban", refused.Message ?? "", StringComparison.Ordinal);

        var accepted = await commands.ExecuteCommandAsync("eu-provisioner", OnboardingCommand.Name, Arguments("DE89 3704 0044 0532 0130 00"), CancellationToken.None);
        Assert.True(accepted.Success, accepted.Message);
        var answer = JsonNode.Parse(accepted.Data!.Value)!;
        Assert.Equal($"{id}-backend", (string)answer["integrator"]!["client_id"]!);
        var secret = (string)answer["integrator"]!["client_secret"]!;

        // onboarded as through the API: the reseller's integrator signs in and creates an event
        using var operatorApi = await cell.OperatorClientAsync();
        await Eventually.GetAsync(async () =>
        {
            var s = await operatorApi.GetJsonAsync($"/v1/admin/resellers/{id}/provisioning");
            Assert.NotEqual("failed", (string)s["state"]!);
            return (string)s["state"]! == "completed" ? s : null;
        }, "tailspin's onboarding", TimeSpan.FromSeconds(60));
        using var identity = cell.IdentityClient();
        var token = await Tokens.ClientCredentialsAsync(identity, id, $"{id}-backend", secret, Tokens.AllIntegratorScopes);
        using var tailspin = cell.ApiClient(host, token);
        await tailspin.PostJsonAsync("/v1/events", Api.ReservedEvent("Tailspin live", 1, 2), HttpStatusCode.Created);

        // the operator's action is audited, refused and accepted
        var audit = (await operatorApi.GetJsonAsync("/v1/admin/audit?size=100"))["entries"]!.AsArray()
            .Select(e => ((string)e!["action"]!, (int?)e["status"] ?? 0, (string?)e["client_id"])).ToList();
        Assert.Contains(("OnboardReseller", 422, "eu-operator"), audit);
        Assert.Contains(("OnboardReseller", 202, "eu-operator"), audit);
    }

    private static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cts.Token);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// An integrator's steady traffic: each worker holds one seat, reads the seat map, releases the hold, and again; every
    /// request's latency is recorded under the current phase, every answer that is not a success is an error.
    /// </summary>
    private sealed class LoadLoop(HttpClient http, string eventId, IReadOnlyList<string> seats)
    {
        private readonly ConcurrentBag<(string Phase, double Ms)> _samples = [];
        private volatile string _phase = "before";

        private readonly ConcurrentBag<(string Phase, string Error)> _errors = [];

        public IReadOnlyList<string> Errors => [.. _errors.Select(e => $"{e.Phase}: {e.Error}")];

        public void Mark(string phase) => _phase = phase;

        public int Count(string phase) => _samples.Count(s => s.Phase == phase);

        public async Task RunAsync(int workers, CancellationToken ct)
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
            {
                var i = 0;
                while (!ct.IsCancellationRequested)
                {
                    var seat = seats[(w + workers * i++) % seats.Count];
                    try
                    {
                        var hold = await TimedAsync(() => http.PostAsJsonAsync("/v1/holds",
                            new { event_id = eventId, customer_ref = $"load-{w}-{i}", seat_ids = new[] { seat } }, Api.Json), "POST /v1/holds");
                        await TimedAsync(() => http.GetAsync($"/v1/events/{eventId}/seats"), "GET seats");
                        if (hold is not null)
                        {
                            await TimedAsync(() => http.DeleteAsync($"/v1/holds/{hold}"), "DELETE /v1/holds");
                        }
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        return;
                    }
                }
            })));
        }

        private async Task<string?> TimedAsync(Func<Task<HttpResponseMessage>> send, string what)
        {
            var phase = _phase;
            var sw = Stopwatch.StartNew();
            try
            {
                using var response = await send();
                var body = await response.Content.ReadAsStringAsync();
                _samples.Add((phase, sw.Elapsed.TotalMilliseconds));
                if (!response.IsSuccessStatusCode)
                {
                    _errors.Add((phase, $"{what}: {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}"));
                    return null;
                }

                return what == "POST /v1/holds" ? (string?)JsonNode.Parse(body)!["id"] : null;
            }
            catch (HttpRequestException ex)
            {
                _errors.Add((phase, $"{what}: {ex.Message}"));
                return null;
            }
        }

        public IEnumerable<string> Report()
        {
            foreach (var phase in new[] { "before", "during" })
            {
                var ms = _samples.Where(s => s.Phase == phase).Select(s => s.Ms).Order().ToList();
                if (ms.Count == 0)
                {
                    continue;
                }

                double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
                yield return $"acme load {phase,-6}: {ms.Count} requests, {_errors.Count(e => e.Phase == phase)} errors, p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {ms[^1]:F1} ms";
            }
        }
    }
}
