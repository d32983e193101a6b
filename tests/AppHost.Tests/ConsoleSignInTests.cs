using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The consoles' people sign in with the authorization code flow and PKCE: a reseller's administrators at the reseller's
/// issuer (console client <c>&lt;reseller&gt;-console</c>, the integrator's scopes, the person named in the token), the
/// cell's staff at the platform issuer (console client <c>&lt;cell&gt;-console</c>, the scopes of the account's role).
/// Accounts without the console's role are refused; a console session is a cookie of its own host.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ConsoleSignInTests(PlatformFixture platform) : IAsyncLifetime
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
    public async Task A_resellers_administrator_gets_the_integrators_scopes_as_a_named_person()
    {
        using var browser = new Browser(platform, "eu");
        const string redirect = "http://acme.eu.localhost/console/signin-oidc";
        var (location, verifier) = await browser.AuthorizeAsync("acme", "acme-console", redirect, AdminScopes, ConsoleSignIn.AdminEmail("acme"), ConsoleSignIn.Password("eu"));
        var code = System.Web.HttpUtility.ParseQueryString(location.Query)["code"];
        Assert.True(code is not null, location.ToString());
        using var redeemed = await browser.RedeemAsync("acme", "acme-console", redirect, code, verifier);
        var body = await redeemed.Content.ReadAsStringAsync();
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, body);
        var token = (string)JsonNode.Parse(body)!["access_token"]!;

        var jwt = Tokens.Read(token);
        Assert.Equal("integrator", jwt.GetClaim("kind").Value);
        Assert.Equal("acme", jwt.GetClaim("reseller").Value);
        Assert.Equal(ConsoleSignIn.AdminEmail("acme"), jwt.GetClaim("email").Value);
        Assert.True(Guid.TryParse(jwt.GetClaim("sub").Value, out _));
        var scopes = jwt.GetClaim("scope").Value.Split(' ');
        Assert.Contains("inventory:write", scopes);
        Assert.Contains("webhooks:manage", scopes);
        Assert.DoesNotContain("customer", scopes);    // the console acts as the reseller, never as a buyer

        using var api = platform.ResellerClient("eu", "acme.eu.localhost", token);
        var created = await api.PostJsonAsync("/v1/events", Api.GaEvent("Console " + Guid.NewGuid().ToString("N")[..6], 10), HttpStatusCode.Created);
        await api.GetJsonAsync("/v1/webhooks/endpoints");
        using var onGlobex = platform.ResellerClient("eu", "globex.eu.localhost", token);
        using (var other = await onGlobex.GetAsync($"/v1/events/{created.Id()}/history"))
        {
            Assert.True(other.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{(int)other.StatusCode}");
        }
    }

    [Fact]
    public async Task An_end_user_without_the_administrator_role_is_refused_by_the_console_client()
    {
        using var browser = new Browser(platform, "eu");
        var email = $"not-admin-{Guid.NewGuid():N}@example.com";
        await browser.SignInAsync("acme", email, "correct horse battery", register: true);
        var (location, _) = await browser.AuthorizeAsync("acme", "acme-console", "http://acme.eu.localhost/console/signin-oidc", AdminScopes, email, "correct horse battery");
        Assert.Contains("error=access_denied", location.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("support", false)]
    [InlineData("operator", true)]
    public async Task Staff_get_the_scopes_of_their_role_at_the_platform_issuer(string role, bool isOperator)
    {
        using var browser = new Browser(platform, "eu");
        const string redirect = "http://eu.localhost/ops/signin-oidc";
        var (location, verifier) = await browser.AuthorizeAsync("platform", "eu-console", redirect, "openid profile email support operator",
            ConsoleSignIn.StaffEmail("eu", role), ConsoleSignIn.Password("eu"));
        var code = System.Web.HttpUtility.ParseQueryString(location.Query)["code"];
        Assert.True(code is not null, location.ToString());
        using var redeemed = await browser.RedeemAsync("platform", "eu-console", redirect, code, verifier);
        var body = await redeemed.Content.ReadAsStringAsync();
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, body);
        var token = (string)JsonNode.Parse(body)!["access_token"]!;

        var jwt = Tokens.Read(token);
        Assert.Equal("staff", jwt.GetClaim("kind").Value);
        Assert.False(jwt.TryGetClaim("reseller", out _));
        Assert.EndsWith("/platform", jwt.Issuer, StringComparison.Ordinal);
        Assert.Equal(ConsoleSignIn.StaffEmail("eu", role), jwt.GetClaim("email").Value);
        var scopes = jwt.GetClaim("scope").Value.Split(' ');
        Assert.Contains("support", scopes);
        Assert.Equal(isOperator, scopes.Contains("operator"));

        using var onAcme = platform.ResellerClient("eu", "acme.eu.localhost", token);
        await onAcme.GetJsonAsync("/v1/support/tickets");
        await onAcme.GetJsonAsync("/v1/admin/resellers", isOperator ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_consoles_sign_in_in_a_browser_and_each_session_stays_on_its_own_host()
    {
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        await ConsoleSignIn.ResellerAdminAsync(page, platform, "acme");
        await ConsoleSignIn.StaffAsync(await context.NewPageAsync(), platform);
        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "console" && c.Domain.StartsWith("acme.eu.localhost", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.Name == "console" && c.Domain.StartsWith("eu.localhost", StringComparison.Ordinal));

        // the staff login is not served on a reseller's host, nor the reseller console's on the cell's
        using var router = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = platform.App.GetEndpoint("router", "http") };
        foreach (var (host, path) in new[] { ("acme.eu.localhost", "/ops/login"), ("eu.localhost", "/console/login") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            using var response = await router.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{host}{path}: {(int)response.StatusCode}");
        }

        // a buyer's account signing in at the console is told it is not an administrator
        await using var buyerContext = await _browser.NewContextAsync();
        var buyer = await buyerContext.NewPageAsync();
        using (var registrar = new Browser(platform, "eu"))
        {
            var email = $"buyer-{Guid.NewGuid():N}@example.com";
            await registrar.SignInAsync("acme", email, "correct horse battery", register: true);
            await buyer.GotoAsync($"{ConsoleSignIn.ResellerOrigin(platform, "acme")}/console/login");
            await buyer.GetByLabel("E-mail").FillAsync(email);
            await buyer.GetByLabel("Password").FillAsync("correct horse battery");
            await buyer.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(buyer.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }
    }
}
