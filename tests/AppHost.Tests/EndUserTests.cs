using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// End users of a reseller against the real identity service and API: registration, authorization code + PKCE, refresh,
/// revocation, logout, and their data only in their reseller's database (lockout and registration privacy:
/// <see cref="EndUserLockoutTests"/>).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EndUserTests(PlatformFixture platform)
{
    private const string Password = "a-long-enough-password-42";

    [Fact]
    public async Task An_end_user_registers_signs_in_with_pkce_buys_and_sees_only_their_own_orders()
    {
        using var browser = new Browser(platform, "eu");
        var email = $"alice-{Guid.NewGuid():N}@example.com";
        var tokens = await browser.SignInAsync("acme", email, Password, register: true);
        var access = (string)tokens["access_token"]!;
        Assert.NotNull(tokens["id_token"]);
        Assert.NotNull(tokens["refresh_token"]);

        var jwt = Tokens.Read(access);
        Assert.Equal("customer", jwt.GetClaim("kind").Value);
        Assert.Equal("acme", jwt.GetClaim("reseller").Value);
        Assert.Equal("acme-storefront", jwt.GetClaim("client_id").Value);
        Assert.True(Guid.TryParse(jwt.Subject, out _));

        using var userinfo = await browser.GetWithTokenAsync("/acme/connect/userinfo", access);
        var claims = JsonNode.Parse(await userinfo.Content.ReadAsStringAsync())!;
        Assert.Equal(email, (string)claims["email"]!);
        Assert.Equal(jwt.Subject, (string)claims["sub"]!);

        // the reseller comes from the token: no host header needed
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await integrator.CreateReservedEventAsync("End-user show " + Guid.NewGuid(), 1, 4);
        using var me = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        me.DefaultRequestHeaders.Authorization = new("Bearer", access);

        var hold = await me.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats.Take(2) }, HttpStatusCode.Created);
        Assert.Equal($"user:{jwt.Subject}", (string)hold["customer_ref"]!);
        Assert.Equal(email, (string)hold["customer_email"]!);
        var forOther = await me.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "someone-else", seat_ids = seats.Skip(2).Take(1) },
            HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", (string)forOther["code"]!);
        var order = await me.PayAndConfirmAsync(hold.Id());

        var mine = await me.GetJsonAsync("/v1/me/orders");
        Assert.Equal([order.Id()], mine["orders"]!.AsArray().Select(o => o.Id()));
        await me.GetJsonAsync("/v1/orders?customer_ref=someone-else", HttpStatusCode.Forbidden);

        // the integrator sees the same order under the user's customer reference
        var byIntegrator = await integrator.GetJsonAsync($"/v1/orders?customer_ref={Uri.EscapeDataString($"user:{jwt.Subject}")}");
        Assert.Equal([order.Id()], byIntegrator["orders"]!.AsArray().Select(o => o.Id()));

        // another end user of the same reseller cannot see it
        using var other = new Browser(platform, "eu");
        var otherTokens = await other.SignInAsync("acme", $"bob-{Guid.NewGuid():N}@example.com", Password, register: true);
        using var bob = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        bob.DefaultRequestHeaders.Authorization = new("Bearer", (string)otherTokens["access_token"]!);
        await bob.GetJsonAsync($"/v1/orders/{order.Id()}", HttpStatusCode.NotFound);
        await bob.GetJsonAsync($"/v1/holds/{hold.Id()}", HttpStatusCode.NotFound);
        Assert.Empty((await bob.GetJsonAsync("/v1/me/orders"))["orders"]!.AsArray());
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_revocation_ends_them()
    {
        using var browser = new Browser(platform, "eu");
        var tokens = await browser.SignInAsync("acme", $"carol-{Guid.NewGuid():N}@example.com", Password, register: true);
        using var identity = platform.IdentityClient("eu");

        var refreshed = await RefreshAsync(identity, (string)tokens["refresh_token"]!, HttpStatusCode.OK);
        Assert.NotEqual((string)tokens["access_token"]!, (string)refreshed["access_token"]!);
        Assert.Equal("acme", Tokens.Read((string)refreshed["access_token"]!).GetClaim("reseller").Value);
        var refreshToken = (string)refreshed["refresh_token"]!;

        using var revoke = await identity.PostAsync("/acme/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "acme-storefront",
            ["token"] = refreshToken,
            ["token_type_hint"] = "refresh_token",
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var refused = await RefreshAsync(identity, refreshToken, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", (string)refused["error"]!);

        // a refresh token of acme is nothing at globex's issuer
        using var second = new Browser(platform, "eu");
        var again = await second.SignInAsync("acme", $"dave-{Guid.NewGuid():N}@example.com", Password, register: true);
        using var elsewhere = await Tokens.RequestAsync(identity, "globex", new()
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "acme-storefront", ["refresh_token"] = (string)again["refresh_token"]!,
        });
        // acme's storefront client does not even exist at globex
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        Assert.Equal("invalid_client", (string)JsonNode.Parse(await elsewhere.Content.ReadAsStringAsync())!["error"]!);
    }

    [Fact]
    public async Task The_authorization_code_flow_requires_pkce()
    {
        using var browser = new Browser(platform, "eu");
        var url = $"/acme/connect/authorize?client_id=acme-storefront&response_type=code&redirect_uri={Uri.EscapeDataString(Browser.RedirectUri("acme"))}&scope=openid%20customer&state=s";
        using var response = await browser.SendAsync(HttpMethod.Get, url);
        // OpenIddict answers on the spot (no code is ever issued, no redirect to the client)
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        Assert.Contains("code_challenge", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_of_one_reseller_is_refused_under_another_resellers_path()
    {
        using var browser = new Browser(platform, "eu");
        await browser.SignInAsync("acme", $"erin-{Guid.NewGuid():N}@example.com", Password, register: true);

        // replay acme's session cookie under globex's path: globex asks for a login instead of issuing a code
        using var page = await browser.SendAsync(HttpMethod.Get, "/acme/account/login");
        var (_, challenge) = Tokens.Pkce();
        using var http = platform.IdentityClient("eu");
        var acmeSession = await SessionCookieAsync(browser);
        using var request = new HttpRequestMessage(HttpMethod.Get, Browser.AuthorizeUrl("globex", challenge));
        request.Headers.Add("Cookie", $"ta.session={acmeSession}");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/globex/account/login", response.Headers.Location!.PathOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_ends_the_session_and_returns_to_the_storefront()
    {
        using var browser = new Browser(platform, "eu");
        var tokens = await browser.SignInAsync("acme", $"hank-{Guid.NewGuid():N}@example.com", Password, register: true);
        var url = $"/acme/connect/endsession?id_token_hint={tokens["id_token"]}&post_logout_redirect_uri={Uri.EscapeDataString("http://acme.eu.localhost/")}";
        using var logout = await browser.SendAsync(HttpMethod.Get, url);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("http://acme.eu.localhost/", logout.Headers.Location!.GetLeftPart(UriPartial.Path));

        var (_, challenge) = Tokens.Pkce();
        using var authorize = await browser.SendAsync(HttpMethod.Get, Browser.AuthorizeUrl("acme", challenge));
        Assert.StartsWith("/acme/account/login", authorize.Headers.Location!.PathOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task End_user_accounts_and_grants_live_only_in_their_resellers_database()
    {
        using var browser = new Browser(platform, "eu");
        var email = $"ivy-{Guid.NewGuid():N}@example.com";
        var tokens = await browser.SignInAsync("acme", email, Password, register: true);
        var subject = Tokens.Read((string)tokens["access_token"]!).Subject;

        Assert.Equal(1L, await CountAsync("eu", "reseller_acme", "SELECT count(*) FROM users WHERE email_normalized = $1", email));
        Assert.Equal(0L, await CountAsync("eu", "reseller_acme", "SELECT count(*) FROM users WHERE password_hash NOT LIKE '$argon2id$%'"));
        Assert.True(await CountAsync("eu", "reseller_acme", """SELECT count(*) FROM "OpenIddictTokens" WHERE "Subject" = $1""", subject) >= 2);
        Assert.Equal(1L, await CountAsync("eu", "reseller_acme", """SELECT count(*) FROM "OpenIddictAuthorizations" WHERE "Subject" = $1""", subject));
        foreach (var (cell, database) in new[] { ("eu", "reseller_globex"), ("us", "reseller_initech") })
        {
            Assert.Equal(0L, await CountAsync(cell, database, "SELECT count(*) FROM users WHERE email_normalized = $1", email));
            Assert.Equal(0L, await CountAsync(cell, database, """SELECT count(*) FROM "OpenIddictTokens" WHERE "Subject" = $1""", subject));
        }

        // the catalog's accounts (the platform issuer's) are the cell's staff only: no end user there
        Assert.Equal(0L, await CountAsync("eu", "catalog", "SELECT count(*) FROM users WHERE console_role IS NULL OR email_normalized = $1", email));
        Assert.Equal(0L, await CountAsync("eu", "catalog", """SELECT count(*) FROM "OpenIddictTokens" WHERE "Subject" = $1""", subject));
    }

    internal static async Task<JsonObject> RefreshAsync(HttpClient identity, string refreshToken, HttpStatusCode expected)
    {
        using var response = await Tokens.RequestAsync(identity, "acme", new()
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "acme-storefront", ["refresh_token"] = refreshToken,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"refresh: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<string> SessionCookieAsync(Browser browser)
    {
        // the browser's jar sends the cookie only under /acme; read it back from a request it makes there
        using var response = await browser.SendAsync(HttpMethod.Get, "/acme/account/login");
        var header = browser.CookieHeader("/acme/account/login");
        var pair = header.Split("; ").Single(c => c.StartsWith("ta.session=", StringComparison.Ordinal));
        return pair["ta.session=".Length..];
    }

    private async Task<long> CountAsync(string cell, string database, string sql, string? parameter = null)
    {
        await using var conn = await platform.OpenDatabaseAsync(cell, database);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        if (parameter is not null)
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = parameter });
        }

        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
