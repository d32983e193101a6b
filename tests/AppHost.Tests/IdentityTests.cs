using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The cell's identity service: one issuer per reseller by path, integrator clients on client credentials, OpenIddict's
/// rows in each reseller's own database.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IdentityTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("acme")]
    [InlineData("globex")]
    public async Task Discovery_document_names_the_resellers_own_issuer(string reseller)
    {
        using var http = await IdentityClientAsync("eu");
        var doc = await http.GetJsonAsync($"/{reseller}/.well-known/openid-configuration");

        var issuer = $"{Origin(http)}/{reseller}";
        Assert.Equal(issuer, (string)doc["issuer"]!);
        Assert.Equal($"{issuer}/connect/token", (string)doc["token_endpoint"]!);
        Assert.Equal($"{issuer}/.well-known/jwks", (string)doc["jwks_uri"]!);
        Assert.Contains("client_credentials", Strings(doc["grant_types_supported"]));
        Assert.Contains("authorization_code", Strings(doc["grant_types_supported"]));
        Assert.Contains("refresh_token", Strings(doc["grant_types_supported"]));
        Assert.Contains("S256", Strings(doc["code_challenge_methods_supported"]));
        Assert.Contains("private_key_jwt", Strings(doc["token_endpoint_auth_methods_supported"]));
        foreach (var endpoint in new[] { "authorization_endpoint", "userinfo_endpoint", "end_session_endpoint", "revocation_endpoint", "introspection_endpoint" })
        {
            Assert.StartsWith(issuer + "/connect/", (string)doc[endpoint]!, StringComparison.Ordinal);
        }
        Assert.Contains("inventory:read", Strings(doc["scopes_supported"]));
    }

    [Fact]
    public async Task Client_credentials_give_a_signed_access_token_of_the_reseller_with_the_requested_scopes()
    {
        using var http = await IdentityClientAsync("eu");
        var response = await RequestTokenAsync(http, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), "inventory:read orders:write");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var accessToken = (string)JsonNode.Parse(body)!["access_token"]!;

        var jwt = new JsonWebToken(accessToken);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("acme", jwt.GetClaim("reseller").Value);
        Assert.Equal("acme-backend", jwt.Subject);
        Assert.Equal(["inventory:read", "orders:write"], jwt.GetClaim("scope").Value.Split(' ').Order(StringComparer.Ordinal));

        var issuer = $"{Origin(http)}/acme";
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = "ticketaspire-api",
            ValidTypes = ["at+jwt"],
            IssuerSigningKeys = await SigningKeysAsync(http, "acme"),
        });
        Assert.True(result.IsValid, result.Exception?.Message);

        // another cell has other keys: the token does not validate with the us cell's published keys
        using var us = await IdentityClientAsync("us");
        var elsewhere = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = "ticketaspire-api",
            IssuerSigningKeys = await SigningKeysAsync(us, "initech"),
        });
        Assert.False(elsewhere.IsValid);
    }

    [Fact]
    public async Task A_wrong_secret_is_an_invalid_client()
    {
        using var http = await IdentityClientAsync("eu");
        using var response = await RequestTokenAsync(http, "acme", "acme-backend", "not-the-secret", "inventory:read");
        await AssertOAuthErrorAsync(response, "invalid_client");
    }

    [Fact]
    public async Task A_resellers_client_is_unknown_to_another_resellers_issuer()
    {
        using var http = await IdentityClientAsync("eu");
        using var response = await RequestTokenAsync(http, "globex", "acme-backend", PlatformFixture.ClientSecret("acme"), "inventory:read");
        await AssertOAuthErrorAsync(response, "invalid_client");
    }

    [Fact]
    public async Task An_integrator_client_cannot_ask_for_platform_staff_scopes()
    {
        using var http = await IdentityClientAsync("eu");
        using var response = await RequestTokenAsync(http, "acme", "acme-backend", PlatformFixture.ClientSecret("acme"), "support");
        // OpenIddict answers a registered scope the client has no permission for with invalid_request (ID2051)
        var error = await AssertOAuthErrorAsync(response, "invalid_request");
        Assert.Contains("scope", (string)error["error_description"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_integrator_authenticates_with_private_key_jwt()
    {
        using var http = await IdentityClientAsync("eu");
        var audience = $"{Origin(http)}/globex";
        using var response = await Tokens.RequestAsync(http, "globex", new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "globex-backend",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = Tokens.ClientAssertion(PlatformFixture.GlobexClientKey, "globex-key-1", "globex-backend", audience),
            ["scope"] = "orders:read",
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var jwt = Tokens.Read((string)JsonNode.Parse(body)!["access_token"]!);
        Assert.Equal("globex", jwt.GetClaim("reseller").Value);

        // an assertion signed with a key globex never registered is refused
        using var stranger = System.Security.Cryptography.RSA.Create(2048);
        using var forged = await Tokens.RequestAsync(http, "globex", new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "globex-backend",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = Tokens.ClientAssertion(stranger, "globex-key-1", "globex-backend", audience),
            ["scope"] = "orders:read",
        });
        await AssertOAuthErrorAsync(forged, "invalid_client");
    }

    [Theory]
    [InlineData("/initech/.well-known/openid-configuration")]   // a reseller of another cell
    [InlineData("/nobody/connect/token")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task A_path_without_a_reseller_of_the_cell_is_404_problem_details(string path)
    {
        using var http = await IdentityClientAsync("eu");
        var problem = await http.GetJsonAsync(path, HttpStatusCode.NotFound);
        Assert.EndsWith("tenancy.unresolved", (string)problem["type"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_lives_only_in_its_resellers_database_with_a_hashed_secret()
    {
        const string sql = """SELECT "ClientSecret" FROM "OpenIddictApplications" WHERE "ClientId" = $1""";
        await using var acme = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using var globex = await platform.OpenDatabaseAsync("eu", "reseller_globex");

        var stored = await ScalarsAsync(acme, sql, "acme-backend");
        var secret = Assert.Single(stored);
        Assert.False(string.IsNullOrEmpty(secret));
        Assert.DoesNotContain(PlatformFixture.ClientSecret("acme"), secret, StringComparison.Ordinal);
        Assert.Empty(await ScalarsAsync(globex, sql, "acme-backend"));
        Assert.Single(await ScalarsAsync(globex, sql, "globex-backend"));
        Assert.Empty(await ScalarsAsync(acme, sql, "globex-backend"));

        // the identity tables come from their own versioned script, beside the inventory's
        Assert.Equal(["0001_inventory", "0002_audit", "0003_customer_email", "0004_payments", "0005_ledger", "0006_webhooks", "0010_outbox_by_event", "0011_idempotency", "0012_waiting_room", "0020_waitlist_closed_reason", "0021_webhook_deliveries_due_per_endpoint", "0022_refund_failures", "0030_ticket_ownership", "0031_resale", "0032_transfers", "0033_transfer_mail", "0040_dynamic_pricing", "0041_check_in", "0042_lottery", "0043_lottery_mail", "0044_presale", "0060_vouchers", "0061_event_history", "0062_event_changed_mail", "0070_support_tickets", "0080_accessible_seating", "0090_group_quotes", "0100_passes", "0101_flex_passes", "0102_pass_credits_ledger", "0110_storefront_theme", "0111_guest_actor", "1001_openiddict", "1002_users", "1003_login_throttle", "1004_console_role", "1006_console_invitations"], await ScalarsAsync(acme, "SELECT name FROM schema_migrations ORDER BY version"));
    }

    private async Task<HttpClient> IdentityClientAsync(string cell)
    {
        using var cts = new CancellationTokenSource(PlatformFixture.StartTimeout);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync($"{cell}-identity", cts.Token);
        return new HttpClient { BaseAddress = platform.App.GetEndpoint($"{cell}-identity", "http"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private static string Origin(HttpClient http) => http.BaseAddress!.GetLeftPart(UriPartial.Authority);

    private static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string reseller, string clientId, string secret, string scope) =>
        http.PostAsync($"/{reseller}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        }));

    private static async Task<JsonNode> AssertOAuthErrorAsync(HttpResponseMessage response, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!;
        Assert.Equal(error, (string)json["error"]!);
        Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
        return json;
    }

    private static async Task<IList<SecurityKey>> SigningKeysAsync(HttpClient http, string reseller)
    {
        var doc = await http.GetJsonAsync($"/{reseller}/.well-known/openid-configuration");
        var jwks = await http.GetStringAsync(new Uri((string)doc["jwks_uri"]!));
        return new JsonWebKeySet(jwks).GetSigningKeys();
    }

    private static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!);

    private static async Task<List<string>> ScalarsAsync(Npgsql.NpgsqlConnection conn, string sql, params string[] parameters)
    {
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        foreach (var parameter in parameters)
        {
            cmd.Parameters.Add(new() { Value = parameter });
        }

        await using var reader = await cmd.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
