using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Npgsql;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The integrator's secret rotated by the reseller's administrator: at the reseller's issuer
/// (<c>POST /{reseller}/clients/{client_id}/secret</c> with the administrator's access token), refused to anyone else,
/// audited in the reseller's audit log; and in the reseller console in Debian's chromium (confirm, the new secret shown
/// once, a client-credentials token with it). acme's secret is the whole collection's: each test puts the stored secret
/// back (its hash and properties) when it ends.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IntegratorSecretTests(PlatformFixture platform, ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminScopes = "openid profile email inventory:read inventory:write orders:read orders:write audit:read webhooks:manage checkin";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await StorefrontBrowser.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task Only_the_resellers_administrator_rotates_and_the_old_secret_stops_at_once()
    {
        await using var restore = await StoredSecret.TakeAsync(platform, "acme");
        using var identity = platform.IdentityClient("eu");
        var admin = await AdminTokenAsync("acme");

        // nobody, the integrator itself, another reseller's administrator, an end user: refused
        var customer = (string)(await SignedInCustomerAsync("acme"))["access_token"]!;
        var integrator = await Tokens.ClientCredentialsAsync(identity, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), "inventory:read");
        var refusals = new List<string>();
        foreach (var (who, token, expected) in new (string, string?, HttpStatusCode)[]
        {
            ("nobody", null, HttpStatusCode.Unauthorized),
            ("a forged token", admin[..^4] + "AAAA", HttpStatusCode.Unauthorized),
            ("acme's integrator", integrator, HttpStatusCode.Forbidden),
            ("an end user of acme", customer, HttpStatusCode.Forbidden),
            ("globex's administrator", await AdminTokenAsync("globex"), HttpStatusCode.Forbidden),
        })
        {
            using var refused = await RotateAsync(identity, "acme", "acme-backend", token);
            refusals.Add($"{who}: {(int)refused.StatusCode}");
            Assert.True(refused.StatusCode == expected, $"{who}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        output.WriteLine(string.Join("; ", refusals));
        await Tokens.ClientCredentialsAsync(identity, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), "inventory:read");

        // a public client has no secret (409); an unknown client is not found (404)
        using (var storefront = await RotateAsync(identity, "acme", "acme-storefront", admin))
        {
            Assert.Equal(HttpStatusCode.Conflict, storefront.StatusCode);
        }

        using (var unknown = await RotateAsync(identity, "acme", "globex-backend", admin))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // the administrator rotates: the new secret once (no-store), the old one refused at the token endpoint at once
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var rotated = await RotateAsync(identity, "acme", "acme-backend", admin);
        var body = await rotated.Content.ReadAsStringAsync();
        Assert.True(rotated.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("no-store", rotated.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var answer = JsonNode.Parse(body)!;
        var secret = (string)answer["client_secret"]!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal(ConsoleSignIn.AdminEmail("acme"), (string)answer["secret_set_by"]!);
        using (var old = await Tokens.RequestAsync(identity, "acme", ClientCredentials("acme-backend", PlatformFixture.ClientSecret("acme"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        var fresh = await Tokens.ClientCredentialsAsync(identity, "acme", "acme-backend", secret, Tokens.AllIntegratorScopes);
        using var api = platform.ResellerClient("eu", "acme.eu.localhost", fresh);
        await api.GetJsonAsync("/v1/events");

        // who rotated, in acme's audit log (the person's id, the console's client; never the secret)
        var subject = Tokens.Read(admin).Subject;
        var audit = await api.GetJsonAsync("/v1/audit?action=RotateClientSecret");
        var line = audit["entries"]!.AsArray().Single(e => (string?)e!["resource_id"] == "acme-backend" && (string?)e["subject"] == subject
            && DateTimeOffset.Parse((string)e["at"]!, System.Globalization.CultureInfo.InvariantCulture) >= before)!;
        Assert.Equal(("integrator", "acme-console", 200), ((string)line["actor_kind"]!, (string)line["client_id"]!, (int)line["status"]!));
        Assert.DoesNotContain(secret, audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_administrator_rotates_in_the_console_and_the_new_secret_gets_a_token()
    {
        await using var restore = await StoredSecret.TakeAsync(platform, "acme");
        var store = ConsoleSignIn.ResellerOrigin(platform, "acme");
        await using var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = store });
        var page = await context.NewPageAsync();
        await ConsoleSignIn.ResellerAdminAsync(page, platform, "acme", returnPath: "/console/api-clients");
        await Expect(page.Locator("#app-state")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("secret-last-set")).ToContainTextAsync("set by the platform");

        // a confirm step first; keeping the secret changes nothing
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rotate the secret of acme-backend?" })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep the current secret" }).ClickAsync();
        await Tokens.ClientCredentialsAsync(platform, "eu", "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), "inventory:read");

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, rotate the secret" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New secret of acme-backend" })).ToBeFocusedAsync();
        var secret = (await page.GetByTestId("client-secret-value").TextContentAsync())!.Trim();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        await Expect(page.GetByTestId("secret-last-set")).ToContainTextAsync($"by {ConsoleSignIn.AdminEmail("acme")}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy secret" }).ClickAsync();
        await Expect(page.GetByTestId("console-notice")).ToContainTextAsync("copied");
        Assert.Equal(secret, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}) {v.Help}")));
        await StorefrontBrowser.ScreenshotAsync(page, "console-api-client-secret");

        // the new secret gets a client-credentials token; the old one no longer does
        var token = await Tokens.ClientCredentialsAsync(platform, "eu", "acme", "acme-backend", secret, Tokens.AllIntegratorScopes);
        using (var api = platform.ResellerClient("eu", "acme.eu.localhost", token))
        {
            await api.GetJsonAsync("/v1/events");
        }

        using var identity = platform.IdentityClient("eu");
        using var old = await Tokens.RequestAsync(identity, "acme", ClientCredentials("acme-backend", PlatformFixture.ClientSecret("acme")));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);

        // shown once: after a reload the page says who rotated it, and shows no secret
        await page.ReloadAsync();
        await Expect(page.GetByTestId("secret-last-set")).ToContainTextAsync($"Secret last rotated on");
        await Expect(page.GetByTestId("client-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> ClientCredentials(string clientId, string secret) => new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
        ["client_secret"] = secret,
        ["scope"] = "inventory:read",
    };

    private static async Task<HttpResponseMessage> RotateAsync(HttpClient identity, string reseller, string clientId, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{reseller}/clients/{clientId}/secret");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await identity.SendAsync(request);
    }

    private async Task<string> AdminTokenAsync(string reseller)
    {
        using var browser = new Browser(platform, "eu");
        var redirect = $"http://{reseller}.eu.localhost/console/signin-oidc";
        var (location, verifier) = await browser.AuthorizeAsync(reseller, $"{reseller}-console", redirect, AdminScopes, ConsoleSignIn.AdminEmail(reseller), ConsoleSignIn.Password("eu"));
        var code = System.Web.HttpUtility.ParseQueryString(location.Query)["code"];
        Assert.True(code is not null, location.ToString());
        using var redeemed = await browser.RedeemAsync(reseller, $"{reseller}-console", redirect, code, verifier);
        var body = await redeemed.Content.ReadAsStringAsync();
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, body);
        return (string)JsonNode.Parse(body)!["access_token"]!;
    }

    private async Task<JsonObject> SignedInCustomerAsync(string reseller)
    {
        using var browser = new Browser(platform, "eu");
        return await browser.SignInAsync(reseller, $"rotation-{Guid.NewGuid():N}@example.com", "correct horse battery", register: true);
    }

    /// <summary>The integrator client's stored secret (hash and properties), put back on dispose.</summary>
    private sealed class StoredSecret : IAsyncDisposable
    {
        private readonly PlatformFixture _platform;
        private readonly string _reseller;
        private readonly object _hash;
        private readonly object _properties;

        private StoredSecret(PlatformFixture platform, string reseller, object hash, object properties) =>
            (_platform, _reseller, _hash, _properties) = (platform, reseller, hash, properties);

        public static async Task<StoredSecret> TakeAsync(PlatformFixture platform, string reseller)
        {
            await using var db = await platform.OpenDatabaseAsync("eu", $"reseller_{reseller}");
            await using var cmd = new NpgsqlCommand("""SELECT "ClientSecret", "Properties" FROM "OpenIddictApplications" WHERE "ClientId" = $1""", db);
            cmd.Parameters.Add(new() { Value = $"{reseller}-backend" });
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return new StoredSecret(platform, reseller, reader.GetValue(0), reader.GetValue(1));
        }

        public async ValueTask DisposeAsync()
        {
            await using var db = await _platform.OpenDatabaseAsync("eu", $"reseller_{_reseller}");
            await using var cmd = new NpgsqlCommand("""UPDATE "OpenIddictApplications" SET "ClientSecret" = $2, "Properties" = $3 WHERE "ClientId" = $1""", db);
            cmd.Parameters.Add(new() { Value = $"{_reseller}-backend" });
            cmd.Parameters.Add(new() { Value = _hash });
            cmd.Parameters.Add(new() { Value = _properties });
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
